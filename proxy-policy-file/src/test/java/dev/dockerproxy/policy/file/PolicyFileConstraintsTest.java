package dev.dockerproxy.policy.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Body constraints and the API version floor as a policy file sets them: a file's rules get the
 * same secure defaults as rules built in code, presets and environment variables (see {@code
 * AdmissionPolicyTest} in {@code proxy-core}), opting out is explicit, and every setting has a key.
 */
class PolicyFileConstraintsTest {

    private static final byte[] PRIVILEGED =
            json("{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}");

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Decision createBody(Policy p, byte[] body) {
        Decision head = p.decide("POST", "/v1.41/containers/create", ClientIdentity.LOCAL);
        assertThat(head.allowed()).as(head.message()).isTrue();
        return p.decideBody(head, body);
    }

    @Test
    void fileRulesGetTheDefaultConstraints() {
        Policy file =
                PolicyFile.parse(
                        "version: 1\nrules:\n  - {action: allow, endpoints: [containers.create]}\n",
                        "p.yaml");
        assertThat(createBody(file, PRIVILEGED).message())
                .contains("HostConfig.Privileged=true")
                .contains("deny-privileged: false")
                .contains("body: unrestricted");
        assertThat(file.rules().get(0).bodyConstraints()).isEqualTo(BodyConstraints.DEFAULT);
    }

    @Test
    void optingOutIsExplicitAndNamed() {
        Policy file =
                PolicyFile.parse(
                        "version: 1\nrules:\n  - action: allow\n    endpoints: [containers.create]\n"
                                + "    body: unrestricted\n",
                        "p.yaml");
        assertThat(createBody(file, PRIVILEGED).allowed()).isTrue();
        assertThat(file.unrestrictedRules()).hasSize(1);
        assertThat(file.unrestrictedRules().values().iterator().next())
                .containsExactly("containers.create");
    }

    @Test
    void policyFilesSetEveryBodySetting() {
        Policy p =
                PolicyFile.parse(
                        String.join(
                                "\n",
                                "version: 1",
                                "min-api-version: 1.30",
                                "rules:",
                                "  - action: allow",
                                "    endpoints: [containers.create, images.create]",
                                "    body:",
                                "      deny-published-ports: true",
                                "      deny-root-user: true",
                                "      bind-sources: [/srv]",
                                "      images: [nginx, ghcr.io/org/]",
                                "      allow-fields: [HostConfig.Runtime]",
                                ""),
                        "p.yaml");
        assertThat(p.minApiVersion()).isEqualTo("1.30");
        BodyConstraints c = p.rules().get(0).bodyConstraints();
        assertThat(c.denyPublishedPorts()).isTrue();
        assertThat(c.denyRootUser()).isTrue();
        assertThat(c.images()).containsExactly("nginx", "ghcr.io/org/");
        assertThat(c.allowFields()).containsExactly("HostConfig.Runtime");
        assertThat(
                        createBody(
                                        p,
                                        json(
                                                "{\"Image\":\"nginx\",\"User\":\"0\",\"HostConfig\":{\"Runtime\":\"kata\"}}"))
                                .message())
                .contains("User=\"0\"")
                .doesNotContain("Runtime");
        assertThat(
                        createBody(
                                        p,
                                        json(
                                                "{\"Image\":\"redis\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[]}}}"))
                                .message())
                .contains("Image=\"redis\"")
                .contains("PortBindings");
        assertThat(
                        p.decide("POST", "/images/create?fromImage=evil/x", ClientIdentity.LOCAL)
                                .message())
                .contains("query parameter fromImage");
        assertThatThrownBy(() -> PolicyFile.parse("min-api-version: one\nrules: []\n", "q.yaml"))
                .hasMessageContaining("q.yaml:1:");
        assertThatThrownBy(
                        () ->
                                PolicyFile.parse(
                                        "rules:\n  - action: allow\n    body: open\n", "q.yaml"))
                .hasMessageContaining("unrestricted");
    }

    @Test
    void policyFilesDeclareBodyConstraints() {
        Policy p =
                PolicyFile.parse(
                        String.join(
                                "\n",
                                "rules:",
                                "  - action: allow",
                                "    endpoints: [containers.create]",
                                "    body:",
                                "      deny-privileged: true",
                                "      deny-capabilities: false",
                                "      bind-sources: [/srv/ci]",
                                "      max-bytes: 65536",
                                ""),
                        "p.yaml");
        Decision head = p.decide("POST", "/containers/create", ClientIdentity.LOCAL);
        assertThat(
                        p.decideBody(
                                        head,
                                        json(
                                                "{\"HostConfig\":{\"CapAdd\":[\"NET_ADMIN\"],\"Binds\":[\"/srv/ci/x:/x\"]}}"))
                                .allowed())
                .isTrue();
        assertThat(p.decideBody(head, json("{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}")).allowed())
                .isFalse();
        assertThatThrownBy(
                        () ->
                                PolicyFile.parse(
                                        "rules:\n  - action: allow\n    body:\n      deny-priviliged: true\n",
                                        "p.yaml"))
                .hasMessageContaining("p.yaml:4:7")
                .hasMessageContaining("unknown body key");
        assertThatThrownBy(
                        () ->
                                PolicyFile.parse(
                                        "rules:\n  - action: allow\n    body:\n      deny-devices: maybe\n",
                                        "p.yaml"))
                .hasMessageContaining("p.yaml:4:21")
                .hasMessageContaining("true or false");
        assertThat(
                        PolicyFile.parse(
                                        "rules:\n  - action: allow\n    body: {bind-sources: any}\n",
                                        "p.yaml")
                                .rules()
                                .get(0)
                                .bodyConstraints()
                                .toString())
                .contains("bind-sources=any");
    }
}
