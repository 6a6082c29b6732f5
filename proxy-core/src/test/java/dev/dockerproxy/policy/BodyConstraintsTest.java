package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.admission.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyConstraintsTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String violation(BodyConstraints c, String body) {
        return c.violation("containers.create", json(body)).orElse(null);
    }

    @Test
    void aPlainContainerPasses() {
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],"
                                        + "\"HostConfig\":{\"NetworkMode\":\"none\",\"Binds\":[\"data:/data\"]}}"))
                .isNull();
        assertThat(violation(BodyConstraints.STRICT, "")).isNull();
        assertThat(violation(BodyConstraints.STRICT, "  \n")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"HostConfig\":{\"Privileged\":true}}",
                "{\"hostconfig\":{\"privileged\":true}}",
                "{\"HOSTCONFIG\":{\"PRIVILEGED\":true}}",
                "{\"HostConfig\":{\"Privileged\":true}}",
                "{\"HostConfig\":{\"Privileged\":\"yes\"}}",
                "{\"HostConfig\":{\"Privileged\":1}}",
            })
    void privilegedIsRefusedHoweverTheKeyIsSpelled(String body) {
        assertThat(violation(BodyConstraints.STRICT, body)).contains("Privileged");
    }

    @Test
    void unicodeFoldingCannotSmuggleAKey() {
        // U+017F LATIN SMALL LETTER LONG S folds to 's': Go reads "Privileged" here
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{},\"Ho\u017ftConfig\":{\"Privileged\":true}}"))
                .contains("two keys");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}"))
                .contains("two keys");
        assertThat(violation(BodyConstraints.STRICT, "{\"Ho\u017ftConfig\":{\"Privileged\":true}}"))
                .contains("Privileged");
        // U+212A KELVIN SIGN folds to 'k'
        assertThat(StrictJson.fold("\u212Aey")).isEqualTo("key");
    }

    @Test
    void duplicateKeysAreRefusedAtEveryLevel() {
        assertThat(violation(BodyConstraints.STRICT, "{\"Image\":\"a\",\"Image\":\"b\"}"))
                .contains("two keys");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{},\"HostConfig\":{\"Privileged\":true}}"))
                .contains("two keys");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{",
                "{\"a\":}",
                "{\"a\":1}{\"b\":2}",
                "{\"a\":1} x",
                "[1,2",
                "\"str\"",
                "nul",
                "{\"a\":\"\\ud800\"}x"
            })
    void unreadableOrTrailingBodiesAreRefused(String body) {
        assertThat(violation(BodyConstraints.STRICT, body)).isNotNull();
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThat(BodyConstraints.STRICT.violation("containers.create", body)).isPresent();
    }

    @Test
    void hostNamespacesCapabilitiesDevicesAndSecurityOptionsAreRefused() {
        for (String f :
                List.of(
                        "NetworkMode",
                        "PidMode",
                        "IpcMode",
                        "UTSMode",
                        "UsernsMode",
                        "CgroupnsMode")) {
            assertThat(
                            violation(
                                    BodyConstraints.STRICT,
                                    "{\"HostConfig\":{\"" + f + "\":\"host\"}}"))
                    .contains(f);
        }
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"PidMode\":\"container:abc\"}}"))
                .contains("PidMode");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}}"))
                .contains("CapAdd");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}}"))
                .contains("Devices");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}}"))
                .contains("SecurityOpt");
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"CapAdd\":[],\"NetworkMode\":\"bridge\"}}"))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/var/run/docker.sock",
                "/run/docker.sock",
                "/var/run",
                "/var",
                "/",
                "/run",
                "/var/run/../run/docker.sock",
                "//var//run/./docker.sock",
                "/home/u/.docker/run/docker.sock"
            })
    void theDockerSocketCannotBeMountedEvenWhenOtherBindsMay(String source) {
        BodyConstraints anyBinds = BodyConstraints.builder().bindSources(null).build();
        assertThat(violation(anyBinds, "{\"HostConfig\":{\"Binds\":[\"" + source + ":/s\"]}}"))
                .contains("deny-docker-socket");
        assertThat(
                        violation(
                                anyBinds,
                                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\""
                                        + source
                                        + "\",\"Target\":\"/s\"}]}}"))
                .contains("deny-docker-socket");
        assertThat(violation(anyBinds, "{\"HostConfig\":{\"Binds\":[\"/srv/data:/data\"]}}"))
                .isNull();
    }

    @Test
    void bindSourcesRestrictHostPaths() {
        BodyConstraints c = BodyConstraints.builder().bindSources(List.of("/srv/ci")).build();
        assertThat(violation(c, "{\"HostConfig\":{\"Binds\":[\"/srv/ci/job1:/w:rw\"]}}")).isNull();
        assertThat(violation(c, "{\"HostConfig\":{\"Binds\":[\"/srv/ci:/w\"]}}")).isNull();
        assertThat(violation(c, "{\"HostConfig\":{\"Binds\":[\"/srv/cia:/w\"]}}"))
                .contains("outside");
        assertThat(violation(c, "{\"HostConfig\":{\"Binds\":[\"/srv/ci/../../etc:/w\"]}}"))
                .contains("protected host path /etc");
        assertThat(violation(c, "{\"HostConfig\":{\"Binds\":[\"/srv/ci/../../srv/other:/w\"]}}"))
                .contains("outside");
        // the daemon compares mount types case-sensitively: "BIND" is no type it runs, and none the
        // proxy judges
        assertThat(
                        violation(
                                c,
                                "{\"HostConfig\":{\"Mounts\":[{\"type\":\"BIND\",\"source\":\"/etc\"}]}}"))
                .contains("not a mount type");
        assertThat(
                        violation(
                                c,
                                "{\"HostConfig\":{\"Mounts\":[{\"type\":\"bind\",\"source\":\"/srv/x\"}]}}"))
                .contains("outside");
        assertThat(violation(BodyConstraints.STRICT, "{\"HostConfig\":{\"Binds\":[\"/tmp:/t\"]}}"))
                .contains("outside");
        assertThat(violation(BodyConstraints.STRICT, "{\"HostConfig\":{\"Binds\":[\"named:/t\"]}}"))
                .isNull();
        assertThat(
                        violation(
                                BodyConstraints.STRICT,
                                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\","
                                        + "\"VolumeOptions\":{\"DriverConfig\":{\"Options\":{\"o\":\"bind\",\"device\":\"/\"}}}}]}}"))
                .contains("Docker socket or a directory above it");
        assertThatThrownBy(() -> BodyConstraints.builder().bindSources(List.of("relative")))
                .hasMessageContaining("absolute");
    }

    @Test
    void privilegedExecIsRefused() {
        assertThat(
                        BodyConstraints.STRICT.violation(
                                "containers.exec.create",
                                json("{\"Cmd\":[\"sh\"],\"privileged\":true}")))
                .isPresent();
        assertThat(
                        BodyConstraints.STRICT.violation(
                                "containers.exec.create", json("{\"Cmd\":[\"sh\"]}")))
                .isEmpty();
    }

    @Test
    void theEnvironmentGuardsCreatesUnlessAllowPrivileged() {
        Policy p = TecnativaEnv.parse(Map.of("CONTAINERS", "1", "POST", "1")).policy();
        Decision head = p.decide("POST", "/v1.41/containers/create?name=web", ClientIdentity.LOCAL);
        assertThat(head.allowed()).isTrue();
        assertThat(p.bodyCheck(head)).isPresent();
        assertThat(p.decideBody(head, json("{\"Image\":\"busybox\"}"))).isSameAs(head);
        Decision denied =
                p.decideBody(
                        head, json("{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}"));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.message())
                .contains("Privileged")
                .contains("ALLOW_PRIVILEGED=1")
                .contains("CONTAINERS");

        Policy open =
                TecnativaEnv.parse(Map.of("CONTAINERS", "1", "POST", "1", "ALLOW_PRIVILEGED", "1"))
                        .policy();
        Decision h = open.decide("POST", "/containers/create", ClientIdentity.LOCAL);
        assertThat(open.bodyCheck(h)).isEmpty();
        assertThat(open.decideBody(h, json("{\"HostConfig\":{\"Privileged\":true}}")).allowed())
                .isTrue();
    }

    @Test
    void oversizeBodiesAre413AndOtherEndpointsAreNotChecked() {
        Policy p =
                Policy.builder()
                        .rule(
                                Rule.allow()
                                        .name("c")
                                        .sections(Section.CONTAINERS)
                                        .body(BodyConstraints.builder().maxBytes(10).build())
                                        .build())
                        .build();
        Decision head = p.decide("POST", "/containers/create", ClientIdentity.LOCAL);
        assertThat(p.decideBody(head, json("{\"Image\":\"busybox\"}")).status()).isEqualTo(413);
        Decision start = p.decide("POST", "/containers/abc/start", ClientIdentity.LOCAL);
        assertThat(p.bodyCheck(start)).isPresent(); // a start body is refused under any rule
        assertThat(p.decideBody(start, new byte[0])).isSameAs(start);
        assertThat(p.decideBody(start, json("{}")).message()).contains("carries no body");
        Decision list = p.decide("GET", "/containers/json", ClientIdentity.LOCAL);
        assertThat(p.bodyCheck(list)).isEmpty();
        assertThatThrownBy(() -> Rule.deny().body(BodyConstraints.STRICT).build())
                .hasMessageContaining("allow rules");
    }
}
