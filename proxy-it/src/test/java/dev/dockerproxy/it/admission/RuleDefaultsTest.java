package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.file.PolicyFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The body checks are on for every rule that allows a create, whatever built the rule (env, preset,
 * policy file); only an explicit {@code body: unrestricted} turns them off.
 */
@RequiresDockerEngine
class RuleDefaultsTest {

    static final String PRIVILEGED = Admission.createBody("\"Privileged\":true");
    static final String RULE = "{action: allow, endpoints: [containers.create, containers.start]";

    private Admission fx;

    @BeforeEach
    void setUp(DockerEngine engine) {
        fx = new Admission(engine);
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    private ApiResponse privilegedCreateVia(ProxyApi proxy, String name) {
        return proxy.post("/v1.41/containers/create?name=" + name, PRIVILEGED);
    }

    @Test
    void watchtowerPresetRefusesAPrivilegedCreate() {
        String name = fx.name("wt");
        ApiResponse r = privilegedCreateVia(fx.through(Presets.get("watchtower")), name);
        fx.assertRefusedAndNotCreated(r, name, "Privileged");
    }

    @Test
    void policyFileRuleWithoutBodyRefusesAPrivilegedCreate() {
        String name = fx.name("file");
        ProxyApi proxy =
                fx.through(PolicyFile.parse("version: 1\nrules:\n  - " + RULE + "}\n", "p.yaml"));
        fx.assertRefusedAndNotCreated(privilegedCreateVia(proxy, name), name, "Privileged");
    }

    @Test
    void policyFileRuleWithBodyUnrestrictedAllowsAPrivilegedCreate() {
        String name = fx.name("unrestricted");
        ProxyApi proxy =
                fx.through(
                        PolicyFile.parse(
                                "version: 1\nrules:\n  - " + RULE + ", body: unrestricted}\n",
                                "p.yaml"));
        Admission.assertCreated(privilegedCreateVia(proxy, name));
        assertThat(fx.inspect(name).path("HostConfig").path("Privileged").asBoolean()).isTrue();
        assertThat(fx.direct().delete("/v1.41/containers/" + name + "?force=1").status())
                .isEqualTo(204);
    }
}
