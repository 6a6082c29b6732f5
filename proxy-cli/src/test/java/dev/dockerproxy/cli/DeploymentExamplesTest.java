package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/docker-compose.yml} and {@code examples/Dockerfile}, checked with the CLI's own
 * parser.
 */
class DeploymentExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private final JsonNode compose;

    DeploymentExamplesTest() throws IOException {
        compose = new YAMLMapper().readTree(EXAMPLES.resolve("docker-compose.yml").toFile());
    }

    private JsonNode service(String name) {
        JsonNode s = compose.path("services").path(name);
        assertThat(s.isObject()).as("service %s in docker-compose.yml", name).isTrue();
        return s;
    }

    /** The service's environment: the map form, or the list form {@code KEY=VALUE}. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isArray()) {
            e.forEach(
                    kv -> {
                        String[] p = kv.asText().split("=", 2);
                        env.put(p[0], p.length > 1 ? p[1] : "");
                    });
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = e.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                env.put(f.getKey(), f.getValue().asText());
            }
        }
        return env;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theProxyServicesEnvironmentResolvesToTheMissionsReadOnlyPolicy() {
        Map<String, String> env = environment(service("docker-socket-proxy"));
        assertThat(env).containsEntry("POST", "0").containsEntry("CONTAINERS", "1");

        ResolvedConfig cfg = ConfigResolver.resolve(new ConfigOptions(), env);
        Policy p = cfg.policy();

        assertThat(cfg.envPolicy()).isTrue();
        assertThat(cfg.proxy().upstream()).isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(cfg.proxy().listeners()).contains(ConfigResolver.DEFAULT_IPV4);
        for (String allowed :
                List.of(
                        "/v1.41/containers/json",
                        "/v1.41/containers/abc/json",
                        "/v1.41/networks",
                        "/v1.41/services",
                        "/v1.41/tasks",
                        "/v1.41/info",
                        "/v1.41/events",
                        "/v1.41/version",
                        "/_ping")) {
            assertThat(p.decide("GET", allowed, ClientIdentity.LOCAL).allowed())
                    .as("GET %s", allowed)
                    .isTrue();
        }
        assertThat(p.decide("POST", "/v1.41/containers/create", ClientIdentity.LOCAL).allowed())
                .isFalse();
        assertThat(p.decide("POST", "/v1.41/containers/abc/exec", ClientIdentity.LOCAL).allowed())
                .isFalse();
        assertThat(p.decide("DELETE", "/v1.41/containers/abc", ClientIdentity.LOCAL).allowed())
                .isFalse();
        assertThat(p.decide("GET", "/v1.41/images/json", ClientIdentity.LOCAL).allowed()).isFalse();
        assertThat(p.decide("GET", "/v1.41/secrets", ClientIdentity.LOCAL).allowed()).isFalse();
        assertThat(p.decide("GET", "/v1.41/containers/abc/logs", ClientIdentity.LOCAL).allowed())
                .isFalse();
    }

    @Test
    void onlyTheProxyMountsTheSocketAndItMountsItReadOnly() {
        assertThat(texts(service("docker-socket-proxy").path("volumes")))
                .containsExactly("/var/run/docker.sock:/var/run/docker.sock:ro");
        Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> s = services.next();
            if (!s.getKey().equals("docker-socket-proxy")) {
                assertThat(texts(s.getValue().path("volumes")))
                        .as("volumes of %s", s.getKey())
                        .noneMatch(v -> v.contains("docker.sock"));
            }
        }
        assertThat(service("traefik").path("volumes").isMissingNode())
                .as("traefik mounts nothing")
                .isTrue();
    }

    @Test
    void theDockerApiNetworkIsInternalAndSharedOnlyByTheProxyAndTraefik() {
        assertThat(compose.path("networks").path("docker_api").path("internal").asBoolean())
                .isTrue();
        assertThat(texts(service("docker-socket-proxy").path("networks")))
                .containsExactly("docker_api");
        List<String> onApi = new ArrayList<>();
        compose.path("services")
                .fields()
                .forEachRemaining(
                        s -> {
                            if (texts(s.getValue().path("networks")).contains("docker_api")) {
                                onApi.add(s.getKey());
                            }
                        });
        assertThat(onApi).containsExactlyInAnyOrder("docker-socket-proxy", "traefik");
    }

    @Test
    void traefikTalksToTheProxyAndTheProxyHasAHealthcheckWithTheJarsOwnCommand()
            throws IOException {
        JsonNode traefik = service("traefik");
        assertThat(traefik.path("image").asText()).isEqualTo("traefik:v3");
        assertThat(texts(traefik.path("command")))
                .contains("--providers.docker.endpoint=tcp://docker-socket-proxy:2375");
        List<String> test = texts(service("docker-socket-proxy").path("healthcheck").path("test"));
        assertThat(test).containsSequence("health", "--target", "tcp://127.0.0.1:2375");
        assertThat(CliRun.run(Map.of(), "health", "--help").exitCode())
                .as("the health command exists")
                .isZero();

        String dockerfile = Files.readString(EXAMPLES.resolve("Dockerfile"));
        assertThat(dockerfile)
                .contains(
                        "FROM eclipse-temurin:21-jre",
                        "EXPOSE 2375",
                        "COPY proxy-cli/target/docker-socket-proxy.jar ",
                        "HEALTHCHECK ",
                        "\"health\", \"--target\", \"tcp://127.0.0.1:2375\"");
        assertThat(Path.of("src/main/dist/docker-socket-proxy"))
                .as("the launcher the Dockerfile copies")
                .exists();
    }
}
