package dev.dockerproxy.policy.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.RuleSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {

    private static final String EXAMPLE =
            String.join(
                    "\n",
                    "version: 1",
                    "rules:",
                    "  - name: no-secrets",
                    "    action: deny",
                    "    sections: [SECRETS, CONFIGS]",
                    "    reason: secrets never leave the host",
                    "  - preset: traefik",
                    "  - action: allow",
                    "    methods: [GET]",
                    "    endpoints: [containers.logs]",
                    "    path: /containers/web-[0-9]+/logs",
                    "    clients:",
                    "      addresses: [127.0.0.0/8]",
                    "");

    @Test
    void compilesRulesPresetsAndClientsInOrder() {
        Policy p = PolicyFile.parse(EXAMPLE, "policy.yaml");
        assertThat(p.name()).isEqualTo("policy.yaml");
        assertThat(p.rules()).hasSize(3);
        assertThat(p.rules().get(0).source()).isEqualTo(RuleSource.file("policy.yaml", 3, 5));
        assertThat(p.rules().get(1).source()).isEqualTo(RuleSource.preset("traefik"));
        assertThat(p.rules().get(2).name()).isEqualTo("allow-rule-3");

        assertThat(p.decide("GET", "/containers/json", ClientIdentity.LOCAL).allowed()).isTrue();
        Decision secrets = p.decide("GET", "/secrets", ClientIdentity.LOCAL);
        assertThat(secrets.allowed()).isFalse();
        assertThat(secrets.message())
                .contains("no-secrets")
                .contains("policy.yaml:3:5")
                .contains("secrets never leave the host");
        assertThat(p.decide("GET", "/containers/web-1/logs", ClientIdentity.LOCAL).allowed())
                .as("clients: address rule needs a TCP client")
                .isFalse();
    }

    @Test
    void loadsFromDisk(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "rules:\n  - preset: read-only\n");
        assertThat(PolicyFile.load(f).decide("GET", "/images/json", ClientIdentity.LOCAL).allowed())
                .isTrue();
        assertThatThrownBy(() -> PolicyFile.load(dir.resolve("missing.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read policy file");
    }

    private static void assertError(String yaml, String location, String fragment) {
        assertThatThrownBy(() -> PolicyFile.parse(yaml, "p.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(fragment)
                .extracting(e -> ((ConfigException) e).location())
                .isEqualTo(location);
    }

    @Test
    void unknownKeysAreErrorsWithLineAndColumn() {
        assertError(
                "rules:\n  - action: allow\n    endpoint: [system.ping]\n",
                "p.yaml:3:5",
                "unknown rule key 'endpoint'");
        assertError("rule:\n  - action: allow\n", "p.yaml:1:1", "unknown top-level key 'rule'");
        assertError(
                "rules:\n  - action: allow\n    clients:\n      uid: [1]\n",
                "p.yaml:4:7",
                "unknown clients key 'uid'");
    }

    @Test
    void badValuesNameTheirPosition() {
        assertError(
                "rules:\n  - action: permit\n", "p.yaml:2:13", "action must be 'allow' or 'deny'");
        assertError(
                "rules:\n  - action: allow\n    endpoints: [containers.lst]\n",
                "p.yaml:3:16",
                "unknown endpoint id 'containers.lst'");
        assertError(
                "rules:\n  - action: allow\n    sections: [CONTAINER]\n",
                "p.yaml:3:15",
                "unknown section");
        assertError(
                "rules:\n  - action: allow\n    access: [readonly]\n",
                "p.yaml:3:13",
                "unknown access class");
        assertError(
                "rules:\n  - action: allow\n    methods: [get]\n",
                "p.yaml:3:14",
                "unknown HTTP method");
        assertError(
                "rules:\n  - action: allow\n    path: '/containers/('\n",
                "p.yaml:3:11",
                "invalid path regex");
        assertError("rules:\n  - preset: trafik\n", "p.yaml:2:13", "unknown preset");
        assertError("rules:\n  - methods: [GET]\n", "p.yaml:2:5", "has no 'action:'");
        assertError(
                "rules:\n  - action: allow\n    clients:\n      addresses: [nope]\n",
                "p.yaml:4:19",
                "CIDR");
        assertError(
                "rules:\n  - action: allow\n    clients:\n      uids: [root]\n",
                "p.yaml:4:14",
                "not a number");
        assertError("version: 2\nrules: []\n", "p.yaml:1:10", "version must be 1");
    }

    @Test
    void structuralErrorsNameTheirPosition() {
        assertError("", "p.yaml:1:1", "empty");
        assertError("rules: nope\n", "p.yaml:1:8", "must be a list");
        assertError("- a\n", "p.yaml:1:1", "must be a mapping");
        assertError("version: 1\n", "p.yaml:1:1", "missing 'rules:'");
        assertError(
                "rules:\n  - action: allow\n    action: deny\n",
                "p.yaml:3:5",
                "duplicate key 'action'");
        assertError(
                "rules:\n  - preset: traefik\n    action: allow\n",
                "p.yaml:2:5",
                "takes no other keys");
        assertThatThrownBy(() -> PolicyFile.parse("rules: [\n", "p.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("p.yaml:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void emptyRuleListDeniesEverything() {
        Policy p = PolicyFile.parse("rules: []\n", "p.yaml");
        assertThat(p.decide("GET", "/_ping", ClientIdentity.LOCAL).allowed()).isFalse();
    }
}
