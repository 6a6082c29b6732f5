package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Rule;
import dev.dockerproxy.policy.admission.Bodies;
import dev.dockerproxy.policy.admission.Model;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated from the field table: every HostConfig and ContainerConfig field the table judges or
 * refuses gets a dangerous value, sent through the proxy at the top level (HostConfig absent, and
 * null) and nested, on every API version from the floor (1.24) to the engine's (1.41) and without a
 * version; then the engine is asked directly whether any of those containers exists. The table test
 * in proxy-core proves the table covers the spec; this proves the table's verdicts hold on the
 * engine.
 */
@RequiresDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionDifferentialTest {

    /** The socket-mounting container the borrowing samples borrow from (created directly). */
    private static final String BORROWED = "@borrowed";

    /**
     * A dangerous value for each judged or dangerous field, by field name (HostConfig, then
     * ContainerConfig).
     */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("CgroupParent", "\"/\"");
        SAMPLES.put(
                "Devices",
                "[{\"PathOnHost\":\"/dev/mem\",\"PathInContainer\":\"/dev/mem\",\"CgroupPermissions\":\"rwm\"}]");
        SAMPLES.put("DeviceCgroupRules", "[\"c *:* rwm\"]");
        SAMPLES.put(
                "DeviceRequests", "[{\"Driver\":\"\",\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]");
        SAMPLES.put("Binds", "[\"/:/host\"]");
        SAMPLES.put("LogConfig", "{\"Type\":\"syslog\",\"Config\":{}}");
        SAMPLES.put("NetworkMode", "\"host\"");
        SAMPLES.put("PortBindings", "{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"0\"}]}");
        SAMPLES.put("PublishAllPorts", "true");
        SAMPLES.put("VolumeDriver", "\"some-plugin\"");
        SAMPLES.put("VolumesFrom", "[\"" + BORROWED + "\"]");
        SAMPLES.put(
                "Mounts", "[{\"Type\":\"bind\",\"Source\":\"/proc/self/root\",\"Target\":\"/h\"}]");
        SAMPLES.put("Annotations", "{\"run.oci.keep_original_groups\":\"1\"}");
        SAMPLES.put("CapAdd", "[\"CAP_SYS_ADMIN\"]");
        SAMPLES.put("CgroupnsMode", "\"host\"");
        SAMPLES.put("IpcMode", "\"host\"");
        SAMPLES.put("Cgroup", "\"container:" + BORROWED + "\"");
        SAMPLES.put("PidMode", "\"host\"");
        SAMPLES.put("Privileged", "true");
        SAMPLES.put("SecurityOpt", "[\"no-new-privileges\",\"apparmor=unconfined\"]");
        SAMPLES.put("UTSMode", "\"host\"");
        SAMPLES.put("UsernsMode", "\"host\"");
        SAMPLES.put("Sysctls", "{\"kernel.msgmax\":\"65536\"}");
        SAMPLES.put("Runtime", "\"io.containerd.runsc.v1\"");
        SAMPLES.put("MaskedPaths", "[]");
        SAMPLES.put("ReadonlyPaths", "[]");
        SAMPLES.put("User", "\"0:0\"");
        SAMPLES.put("Image", "\"evil/image:latest\"");
    }

    /** Every version from the floor to the engine's, and none. */
    static List<String> versions() {
        List<String> out = new ArrayList<>();
        for (int minor = 24; minor <= 41; minor++) {
            out.add("/v1." + minor);
        }
        out.add("");
        return out;
    }

    /** Every optional constraint on as well, so every judged field has a value that is refused. */
    static final Policy POLICY =
            Policy.builder()
                    .name("differential")
                    .rule(
                            Rule.allow()
                                    .name("create")
                                    .endpoints("containers.create")
                                    .body(
                                            BodyConstraints.builder()
                                                    .bindSources(null)
                                                    .denyPublishedPorts(true)
                                                    .denyRootUser(true)
                                                    .images(List.of(Admission.BUSYBOX))
                                                    .build())
                                    .build())
                    .build();

    private Admission fx;
    private ProxyApi proxy;
    private String borrowed;

    @BeforeAll
    void setUp(DockerEngine engine) {
        fx = new Admission(engine);
        proxy = fx.through(POLICY);
        borrowed = fx.name("sock");
        fx.createDirect(
                borrowed, "\"Binds\":[\"" + engine.socketPath() + ":/var/run/docker.sock\"]");
    }

    @AfterAll
    void tearDown() {
        fx.close();
    }

    @Test
    void everyFieldTheTableJudgesHasADangerousSample() {
        List<String> missing = new ArrayList<>();
        for (Model model : List.of(Bodies.HOST_CONFIG, Bodies.CONTAINER_CONFIG)) {
            for (Model.Field f : model.fields()) {
                if (judgedSomewhere(f) && !SAMPLES.containsKey(f.name())) {
                    missing.add(model.name() + "." + f.name());
                }
            }
        }
        assertThat(missing).as("fields the table judges with no dangerous sample here").isEmpty();
    }

    @ParameterizedTest(name = "API {0}")
    @MethodSource("versions")
    void noDangerousFieldLandsAtAnyPlaceOrVersion(String version) {
        SoftAssertions soft = new SoftAssertions();
        String run = fx.name("v" + (version.isEmpty() ? "none" : version.substring(4)));
        int n = 0;
        for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
            String field = sample.getKey();
            String value = sample.getValue().replace(BORROWED, borrowed);
            for (String body : bodies(field, value)) {
                ApiResponse r =
                        proxy.post(version + "/containers/create?name=" + run + "-" + (n++), body);
                soft.assertThat(r.status()).as("%s", r).isEqualTo(403);
                soft.assertThat(r.message()).as("%s", r).contains(field);
            }
        }
        String filter = URLEncoder.encode("{\"name\":[\"" + run + "\"]}", StandardCharsets.UTF_8);
        JsonNode landed = fx.direct().get("/v1.41/containers/json?all=1&filters=" + filter).json();
        soft.assertThat(landed)
                .as("containers the engine has after %d refused creates at API %s", n, version)
                .isEmpty();
        soft.assertAll();
    }

    /**
     * The sample at the top level (no HostConfig, and HostConfig null) and, for HostConfig fields,
     * nested.
     */
    private static List<String> bodies(String field, String value) {
        String member = "\"" + field + "\":" + value;
        String base = "\"Image\":\"" + Admission.BUSYBOX + "\",\"Cmd\":[\"true\"]";
        if (Bodies.CONTAINER_CONFIG.field(field.toLowerCase(java.util.Locale.ROOT)) != null) {
            String image = field.equals("Image") ? "" : "\"Image\":\"" + Admission.BUSYBOX + "\",";
            return List.of(
                    "{"
                            + image
                            + "\"Cmd\":[\"true\"],"
                            + member
                            + ",\"HostConfig\":{\"NetworkMode\":\"none\"}}");
        }
        return List.of(
                "{" + base + "," + member + "}",
                "{" + base + ",\"HostConfig\":null," + member + "}",
                "{" + base + ",\"HostConfig\":{" + member + "}}");
    }

    /** Whether the table judges this field or something inside it. */
    private static boolean judgedSomewhere(Model.Field f) {
        if (f.kind() == Model.Kind.HARMLESS) {
            return false;
        }
        if (f.kind() != Model.Kind.NESTED || f.judge() != null) {
            return true;
        }
        return Stream.of(f.nested())
                .flatMap(m -> m.fields().stream())
                .anyMatch(AdmissionDifferentialTest::judgedSomewhere);
    }
}
