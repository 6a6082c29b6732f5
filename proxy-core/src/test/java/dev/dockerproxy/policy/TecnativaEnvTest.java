package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TecnativaEnvTest {

    static Policy env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (String s : kv) {
            int eq = s.indexOf('=');
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return TecnativaEnv.parse(m).policy();
    }

    static Decision decide(Policy p, String method, String target) {
        return p.decide(method, target, ClientIdentity.LOCAL);
    }

    @Nested
    class TheMissionsReadOnlyConfiguration {
        final Policy policy =
                env(
                        "CONTAINERS=1",
                        "NETWORKS=1",
                        "SERVICES=1",
                        "TASKS=1",
                        "INFO=1",
                        "EVENTS=1",
                        "VERSION=1",
                        "PING=1");

        @ParameterizedTest(name = "allows {0} {1}")
        @CsvSource({
            "GET, /containers/json",
            "GET, /v1.41/containers/json",
            "GET, /v1.24/containers/json?all=1",
            "GET, /containers/abc/json",
            "HEAD, /_ping",
            "GET, /_ping",
            "GET, /v1.41/_ping",
            "GET, /events",
            "GET, /version",
            "GET, /info",
            "GET, /networks",
            "GET, /services",
            "GET, /tasks",
            "GET, /containers/abc/stats",
            "GET, /containers/abc/top",
        })
        void allowsReads(String method, String target) {
            Decision d = decide(policy, method, target);
            assertThat(d.allowed()).as(d.message()).isTrue();
            assertThat(d.status()).isEqualTo(200);
        }

        @ParameterizedTest(name = "denies {0} {1} ({2})")
        @CsvSource({
            "POST, /containers/create, 405, POST=1",
            "POST, /v1.41/containers/create, 405, POST=1",
            "DELETE, /containers/xxx, 405, POST=1",
            "POST, /containers/abc/exec, 405, EXEC=1",
            "POST, /exec/e1/start, 405, EXEC=1",
            "GET, /containers/abc/attach/ws, 403, ALLOW_ATTACH=1",
            "GET, /containers/abc/archive, 403, ALLOW_ARCHIVE=1",
            "HEAD, /containers/abc/archive, 403, ALLOW_ARCHIVE=1",
            "PUT, /containers/abc/archive, 405, ALLOW_ARCHIVE=1",
            "GET, /containers/abc/export, 403, ALLOW_EXPORT=1",
            "GET, /containers/abc/logs, 403, ALLOW_LOGS=1",
            "GET, /services/s1/logs, 403, ALLOW_LOGS=1",
            "GET, /images/json, 403, IMAGES=1",
            "GET, /images/get, 403, IMAGES=1",
            "POST, /images/create, 405, IMAGES=1",
            "GET, /volumes, 403, VOLUMES=1",
            "POST, /volumes/create, 405, VOLUMES=1",
            "GET, /secrets, 403, SECRETS=1",
            "GET, /configs, 403, CONFIGS=1",
            "GET, /exec/e1/json, 403, EXEC=1",
            "GET, /swarm/unlockkey, 403, SWARM=1",
            "GET, /debug/vars, 403, policy file rule",
            "POST, /build, 405, BUILD=1",
        })
        void deniesEverythingElseWithAMessageThatSaysWhatWouldAllowIt(
                String method, String target, int status, String setting) {
            Decision d = decide(policy, method, target);
            assertThat(d.allowed()).isFalse();
            assertThat(d.status()).isEqualTo(status);
            assertThat(d.message()).contains(setting).startsWith("denied: ");
            assertThat(d.endpoint()).isNotNull();
        }

        @Test
        void explainsTheDecidingRuleAndItsSource() {
            Decision d = decide(policy, "GET", "/v1.41/containers/json");
            assertThat(d.rule().name()).isEqualTo("CONTAINERS");
            assertThat(d.rule().source()).isEqualTo(RuleSource.env("CONTAINERS=1"));
            assertThat(d.message()).contains("containers.list").contains("env CONTAINERS=1");

            Decision logs = decide(policy, "GET", "/containers/abc/logs");
            assertThat(logs.rule().name()).isEqualTo("ALLOW_LOGS");
            assertThat(logs.rule().source()).isEqualTo(RuleSource.env("ALLOW_LOGS=0"));
            assertThat(logs.message()).contains("set ALLOW_LOGS=1").contains("secrets");
        }
    }

    @Test
    void defaultsAllowOnlyEventsPingAndVersion() {
        Policy p = env();
        assertThat(decide(p, "GET", "/_ping").allowed()).isTrue();
        assertThat(decide(p, "HEAD", "/_ping").allowed()).isTrue();
        assertThat(decide(p, "GET", "/version").allowed()).isTrue();
        assertThat(decide(p, "GET", "/events").allowed()).isTrue();
        assertThat(decide(p, "GET", "/containers/json").allowed()).isFalse();
        assertThat(decide(p, "GET", "/info").allowed()).isFalse();
        assertThat(decide(p, "POST", "/containers/create").status()).isEqualTo(405);
    }

    @Test
    void defaultsCanBeSwitchedOff() {
        Policy p = env("PING=0", "EVENTS=false", "VERSION=no");
        assertThat(decide(p, "GET", "/_ping").allowed()).isFalse();
        assertThat(decide(p, "GET", "/events").allowed()).isFalse();
        assertThat(decide(p, "GET", "/version").allowed()).isFalse();
    }

    @Test
    void postGatesEveryWriteMethodOnEnabledSections() {
        Policy p = env("CONTAINERS=1", "POST=1");
        assertThat(decide(p, "POST", "/containers/create").allowed()).isTrue();
        assertThat(decide(p, "DELETE", "/containers/abc").allowed()).isTrue();
        assertThat(decide(p, "POST", "/containers/abc/start").allowed()).isTrue();
        assertThat(decide(p, "POST", "/images/create").allowed()).isFalse();
        // exec is its own section, even though the path is under /containers
        Decision exec = decide(p, "POST", "/v1.41/containers/abc/exec");
        assertThat(exec.allowed()).isFalse();
        assertThat(exec.message()).contains("set EXEC=1");
    }

    @Test
    void execNeedsExecAndPost() {
        Policy p = env("CONTAINERS=1", "EXEC=1", "POST=1");
        assertThat(decide(p, "POST", "/containers/abc/exec").allowed()).isTrue();
        assertThat(decide(p, "POST", "/exec/e1/start").allowed()).isTrue();
        assertThat(decide(env("EXEC=1"), "GET", "/exec/e1/json").allowed()).isTrue();
        assertThat(decide(env("EXEC=1"), "POST", "/exec/e1/start").message()).contains("POST=1");
    }

    @Test
    void perMethodTogglesOverridePost() {
        Policy p = env("CONTAINERS=1", "POST=1", "DELETE=0");
        assertThat(decide(p, "POST", "/containers/create").allowed()).isTrue();
        Decision del = decide(p, "DELETE", "/containers/abc");
        assertThat(del.status()).isEqualTo(405);
        assertThat(del.message()).contains("DELETE=1");

        Policy onlyDelete = env("CONTAINERS=1", "DELETE=1");
        assertThat(decide(onlyDelete, "DELETE", "/containers/abc").allowed()).isTrue();
        assertThat(decide(onlyDelete, "POST", "/containers/create").status()).isEqualTo(405);
    }

    @Test
    void sensitiveContainerEndpointsNeedTheirOwnOptInEvenWithContainersAndPost() {
        Policy p = env("CONTAINERS=1", "POST=1");
        for (String[] c :
                new String[][] {
                    {"GET", "/containers/a/logs"},
                    {"GET", "/containers/a/archive"},
                    {"HEAD", "/containers/a/archive"},
                    {"PUT", "/containers/a/archive"},
                    {"GET", "/containers/a/export"},
                    {"POST", "/containers/a/attach"},
                    {"GET", "/containers/a/attach/ws"}
                }) {
            Decision d = decide(p, c[0], c[1]);
            assertThat(d.allowed()).as(c[0] + " " + c[1]).isFalse();
            assertThat(d.message()).contains("ALLOW_");
        }
        Policy opted =
                env(
                        "CONTAINERS=1",
                        "POST=1",
                        "ALLOW_LOGS=1",
                        "ALLOW_ARCHIVE=1",
                        "ALLOW_EXPORT=1",
                        "ALLOW_ATTACH=1");
        assertThat(decide(opted, "GET", "/containers/a/logs").allowed()).isTrue();
        assertThat(decide(opted, "GET", "/containers/a/archive").allowed()).isTrue();
        assertThat(decide(opted, "PUT", "/containers/a/archive").allowed()).isTrue();
        assertThat(decide(opted, "GET", "/containers/a/export").allowed()).isTrue();
        assertThat(decide(opted, "POST", "/containers/a/attach").allowed()).isTrue();
        assertThat(decide(opted, "GET", "/containers/a/attach/ws").allowed()).isTrue();
    }

    @Test
    void archiveUploadNeedsAWriteMethodToo() {
        Policy p = env("ALLOW_ARCHIVE=1");
        assertThat(decide(p, "GET", "/containers/a/archive").allowed()).isTrue();
        assertThat(decide(p, "HEAD", "/containers/a/archive").allowed()).isTrue();
        Decision put = decide(p, "PUT", "/containers/a/archive");
        assertThat(put.allowed()).isFalse();
        assertThat(put.message()).contains("PUT=1");
        assertThat(
                        decide(env("ALLOW_ARCHIVE=1", "PUT=1"), "PUT", "/containers/a/archive")
                                .allowed())
                .isTrue();
    }

    @ParameterizedTest(name = "{0} allows POST {1}")
    @CsvSource({
        "ALLOW_START, /containers/a/start", "ALLOW_STOP, /containers/a/stop",
        "ALLOW_RESTARTS, /containers/a/restart", "ALLOW_RESTARTS, /containers/a/kill",
        "ALLOW_RESTARTS, /containers/a/stop", "ALLOW_PAUSE, /containers/a/pause",
        "ALLOW_UNPAUSE, /containers/a/unpause",
    })
    void containerActionsWorkWithoutPost(String var, String path) {
        Policy p = env(var + "=1");
        Decision d = decide(p, "POST", path);
        assertThat(d.allowed()).as(d.message()).isTrue();
        assertThat(d.rule().name()).isEqualTo(var);
        assertThat(decide(p, "POST", "/containers/create").allowed()).isFalse();
        assertThat(decide(p, "POST", "/containers/a/exec").allowed()).isFalse();
    }

    @Test
    void stopHintNamesBothVariables() {
        assertThat(decide(env("ALLOW_START=1"), "POST", "/containers/a/stop").message())
                .contains("ALLOW_STOP=1 or ALLOW_RESTARTS=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "Yes", "on", " 1 "})
    void acceptsTruthyBooleans(String value) {
        assertThat(decide(env("CONTAINERS=" + value), "GET", "/containers/json").allowed())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "no", "off", ""})
    void acceptsFalsyBooleans(String value) {
        assertThat(decide(env("CONTAINERS=" + value), "GET", "/containers/json").allowed())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "y", "enable", "1=1", "tru"})
    void rejectsAnythingElseNamingTheVariable(String value) {
        assertThatThrownBy(() -> env("CONTAINERS=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CONTAINERS: ")
                .hasMessageContaining("use 1 or 0")
                .extracting(e -> ((ConfigException) e).location())
                .isEqualTo("CONTAINERS");
    }

    @Test
    void readsSocketPathLogLevelAndIpv6() {
        TecnativaEnv d = TecnativaEnv.parse(Map.of());
        assertThat(d.socketPath()).isEqualTo("/var/run/docker.sock");
        assertThat(d.logLevel()).isEqualTo("info");
        assertThat(d.disableIpv6()).isFalse();
        TecnativaEnv e =
                TecnativaEnv.parse(
                        Map.of(
                                "SOCKET_PATH",
                                "/run/user/1000/docker.sock",
                                "LOG_LEVEL",
                                "DEBUG",
                                "DISABLE_IPV6",
                                "1"));
        assertThat(e.socketPath()).isEqualTo("/run/user/1000/docker.sock");
        assertThat(e.logLevel()).isEqualTo("debug");
        assertThat(e.disableIpv6()).isTrue();
        assertThatThrownBy(() -> TecnativaEnv.parse(Map.of("LOG_LEVEL", "loud")))
                .hasMessageStartingWith("LOG_LEVEL:");
        assertThatThrownBy(() -> TecnativaEnv.parse(Map.of("DISABLE_IPV6", "maybe")))
                .hasMessageStartingWith("DISABLE_IPV6:");
    }

    @Test
    void everySectionExceptDebugHasAVariable() {
        for (Section s : Section.values()) {
            assertThat(TecnativaEnv.variables().contains(s.name()))
                    .as(s.name())
                    .isEqualTo(s != Section.DEBUG);
        }
    }

    @Test
    void everySectionVariableAllowsItsReadEndpoints() {
        for (Section s : TecnativaEnv.SECTION_DEFAULTS.keySet()) {
            Policy p = env(s.name() + "=1");
            EndpointCatalog.STANDARD.endpoints().stream()
                    .filter(
                            e ->
                                    e.section() == s
                                            && e.access() == AccessClass.READ
                                            && e.method().equals("GET"))
                    .forEach(
                            e -> {
                                String path = EndpointCatalogTest.instantiate(e.template(), false);
                                assertThat(decide(p, "GET", path).allowed())
                                        .as(s + " " + path)
                                        .isTrue();
                            });
        }
    }
}
