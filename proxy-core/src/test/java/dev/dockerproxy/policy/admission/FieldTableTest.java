package dev.dockerproxy.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The field table covers the API spec: every field of every judged body and every query parameter
 * of every judged endpoint in {@code swagger-v1.56.yaml} (copied from shared/docker-api) is
 * classified. A newer spec with a new field makes this test fail until the field is classified.
 */
class FieldTableTest {

    private static JsonNode spec;

    @BeforeAll
    static void readSpec() throws IOException {
        try (InputStream in = FieldTableTest.class.getResourceAsStream("/swagger-v1.56.yaml")) {
            assertThat(in).as("swagger-v1.56.yaml in test resources").isNotNull();
            spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void everyFieldOfEveryJudgedBodyIsClassified() {
        Map<String, Model> bodies = new LinkedHashMap<>();
        bodies.put("post /containers/create", Bodies.CONTAINER_CREATE);
        bodies.put("post /containers/{id}/update", Bodies.CONTAINER_UPDATE);
        bodies.put("post /containers/{id}/exec", Bodies.EXEC_CONFIG);
        bodies.put("post /services/create", Bodies.SERVICE_SPEC);
        bodies.put("post /services/{id}/update", Bodies.SERVICE_SPEC);
        bodies.put("post /volumes/create", Bodies.VOLUME_CREATE);
        List<String> unclassified = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Model> e : bodies.entrySet()) {
            JsonNode schema = bodySchema(e.getKey());
            for (String path : fieldPaths(schema, "")) {
                checked++;
                if (!classified(e.getValue(), path)) {
                    unclassified.add(e.getKey() + ": " + path);
                }
            }
        }
        assertThat(checked).as("fields read from the spec").isGreaterThan(300);
        assertThat(unclassified)
                .as("fields of the API spec the field table does not classify")
                .isEmpty();
    }

    @Test
    void everyQueryParameterOfEveryJudgedEndpointIsClassified() {
        Map<String, String> routes =
                Map.of(
                        "build.create",
                        "post /build",
                        "images.create",
                        "post /images/create",
                        "plugins.pull",
                        "post /plugins/pull",
                        "plugins.upgrade",
                        "post /plugins/{name}/upgrade",
                        "containers.create",
                        "post /containers/create",
                        "services.update",
                        "post /services/{id}/update");
        List<String> unclassified = new ArrayList<>();
        routes.forEach(
                (endpoint, route) -> {
                    for (JsonNode p : operation(route).path("parameters")) {
                        if ("query".equals(p.path("in").asText())
                                && Queries.BY_ENDPOINT
                                                .get(endpoint)
                                                .field(StrictJson.fold(p.path("name").asText()))
                                        == null) {
                            unclassified.add(route + " ?" + p.path("name").asText());
                        }
                    }
                });
        assertThat(unclassified).isEmpty();
    }

    @Test
    void everyJudgedEndpointHasAModelOrADedicatedJudge() {
        for (String endpoint : Admission.BODY_ENDPOINTS) {
            assertThat(
                            Bodies.BY_ENDPOINT.containsKey(endpoint)
                                    || Bodies.ARRAY_BODIES.contains(endpoint)
                                    || endpoint.equals("containers.start"))
                    .as(endpoint)
                    .isTrue();
        }
        for (String endpoint : Admission.QUERY_ENDPOINTS) {
            assertThat(
                            Queries.BY_ENDPOINT.containsKey(endpoint)
                                    || endpoint.equals("plugins.create"))
                    .as(endpoint)
                    .isTrue();
        }
    }

    @Test
    void theTableNamesEveryKindAndNoFieldTwice() {
        TreeSet<Model.Kind> kinds = new TreeSet<>();
        for (Model m : List.of(Bodies.HOST_CONFIG, Bodies.CONTAINER_CONFIG, Bodies.EXEC_CONFIG)) {
            m.fields().forEach(f -> kinds.add(f.kind()));
        }
        assertThat(kinds).containsExactlyInAnyOrder(Model.Kind.values());
        assertThat(Bodies.HOST_CONFIG.field("privileged").kind()).isEqualTo(Model.Kind.DANGEROUS);
        assertThat(Bodies.HOST_CONFIG.field("binds").kind()).isEqualTo(Model.Kind.JUDGED);
        assertThat(Bodies.HOST_CONFIG.field("dns").kind()).isEqualTo(Model.Kind.HARMLESS);
    }

    /**
     * Whether a dotted spec path ends in a classified field (a non-nested field covers everything
     * below it).
     */
    private static boolean classified(Model model, String path) {
        Model m = model;
        for (String segment : path.split("\\.")) {
            Model.Field f = m.field(StrictJson.fold(segment));
            if (f == null) {
                return false;
            }
            if (f.kind() != Model.Kind.NESTED) {
                return true;
            }
            m = f.nested();
        }
        return true;
    }

    private static JsonNode operation(String route) {
        String[] parts = route.split(" ", 2);
        return spec.path("paths").path(parts[1]).path(parts[0]);
    }

    private static JsonNode bodySchema(String route) {
        for (JsonNode p : operation(route).path("parameters")) {
            if ("body".equals(p.path("in").asText())) {
                return p.path("schema");
            }
        }
        throw new AssertionError("no body parameter for " + route);
    }

    /**
     * Every property path below a schema: objects, array items and map values (their keys are
     * data).
     */
    private static List<String> fieldPaths(JsonNode schema, String prefix) {
        List<String> out = new ArrayList<>();
        collect(schema, prefix, out, 0);
        return out;
    }

    private static void collect(JsonNode schema, String prefix, List<String> out, int depth) {
        if (depth > 12) {
            return;
        }
        JsonNode s = resolve(schema);
        for (Map.Entry<String, JsonNode> p : properties(s).entrySet()) {
            String path = prefix + p.getKey();
            out.add(path);
            JsonNode v = resolve(p.getValue());
            if (!properties(v).isEmpty()) {
                collect(v, path + ".", out, depth + 1);
            } else if (v.has("items")) {
                collect(v.path("items"), path + ".", out, depth + 1);
            } else if (v.path("additionalProperties").isObject()) {
                collect(v.path("additionalProperties"), path + ".", out, depth + 1);
            }
        }
    }

    private static Map<String, JsonNode> properties(JsonNode schema) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode s = resolve(schema);
        if (s.has("allOf")) {
            for (JsonNode part : s.path("allOf")) {
                out.putAll(properties(part));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            s =
                    spec.path("definitions")
                            .path(s.path("$ref").asText().substring("#/definitions/".length()));
        }
        return s;
    }
}
