package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigResolverTest {

    @TempDir Path dir;

    private static ResolvedConfig resolve(Map<String, String> env, String... args) {
        ConfigOptions flags = new ConfigOptions();
        new CommandLine(flags).parseArgs(args);
        return ConfigResolver.resolve(flags, env);
    }

    private static boolean allows(ResolvedConfig c, String method, String target) {
        return c.policy().decide(method, target, ClientIdentity.LOCAL).allowed();
    }

    @Test
    void defaultsListenOnPort2375ForIpv4AndIpv6AndForwardToTheDockerSocket() {
        ResolvedConfig c = resolve(Map.of());
        assertThat(c.proxy().listeners())
                .extracting(ListenAddress::toString)
                .containsExactly("tcp://0.0.0.0:2375", "tcp://[::]:2375");
        assertThat(c.proxy().upstream()).hasToString("unix:///var/run/docker.sock");
        assertThat(c.proxy().unixSocketMode()).isEqualTo(0660);
        assertThat(c.proxy().headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.proxy().maxConnections()).isEqualTo(1024);
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logFormat()).isEqualTo(ResolvedConfig.LogFormat.TEXT);
        assertThat(c.envPolicy()).isTrue();
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void everyDefaultButTheListenersIsTheCoresDefault() {
        ProxyConfig cli = resolve(Map.of()).proxy();
        ProxyConfig core = ProxyConfig.builder().policy(cli.policy()).build();
        assertThat(cli.unixSocketMode())
                .isEqualTo(core.unixSocketMode())
                .isEqualTo(ProxyConfig.DEFAULT_UNIX_SOCKET_MODE);
        assertThat(cli.upstream()).isEqualTo(core.upstream()).isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(cli.headerReadTimeout())
                .isEqualTo(core.headerReadTimeout())
                .isEqualTo(ProxyConfig.DEFAULT_HEADER_READ_TIMEOUT);
        assertThat(cli.idleTimeout()).isEqualTo(core.idleTimeout());
        assertThat(cli.maxHeaderSize())
                .isEqualTo(core.maxHeaderSize())
                .isEqualTo(ProxyConfig.DEFAULT_MAX_HEADER_SIZE);
        assertThat(cli.maxConnections())
                .isEqualTo(core.maxConnections())
                .isEqualTo(ProxyConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(cli.maxRequestBody()).isEqualTo(core.maxRequestBody());
        assertThat(cli.gracefulCloseTimeout()).isEqualTo(core.gracefulCloseTimeout());
        assertThat(cli.upstreamConnectTimeout()).isEqualTo(core.upstreamConnectTimeout());
        assertThat(cli.executor()).isEqualTo(core.executor());
        // the one deliberate difference: Tecnativa's listeners on all interfaces, on the core's
        // port
        assertThat(core.listeners()).containsExactly(ProxyConfig.DEFAULT_LISTEN);
        assertThat(cli.listeners())
                .extracting(ListenAddress::port)
                .containsOnly(ProxyConfig.DEFAULT_LISTEN.port());
    }

    @Test
    void disableIpv6DropsTheIpv6DefaultListener() {
        ResolvedConfig c = resolve(Map.of("DISABLE_IPV6", "1"));
        assertThat(c.proxy().listeners())
                .extracting(ListenAddress::toString)
                .containsExactly("tcp://0.0.0.0:2375");
    }

    @Test
    void listenFlagsReplaceTheDefaultListeners() {
        ResolvedConfig c =
                resolve(
                        Map.of(),
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--listen",
                        "unix:///run/p.sock",
                        "--listen",
                        "tcp://[::1]:2376");
        assertThat(c.proxy().listeners())
                .containsExactly(
                        ListenAddress.tcp("127.0.0.1", 0),
                        ListenAddress.unix(Path.of("/run/p.sock")),
                        ListenAddress.tcp("::1", 2376));
    }

    @Test
    void upstreamComesFromSocketPathThenDockerHostThenTheDefault() {
        assertThat(
                        resolve(
                                        Map.of(
                                                "SOCKET_PATH",
                                                "/srv/docker.sock",
                                                "DOCKER_HOST",
                                                "tcp://d:2375"))
                                .proxy()
                                .upstream())
                .isEqualTo(UpstreamAddress.unix(Path.of("/srv/docker.sock")));
        assertThat(resolve(Map.of("DOCKER_HOST", "tcp://daemon:2375")).proxy().upstream())
                .isEqualTo(UpstreamAddress.tcp("daemon", 2375));
        assertThat(resolve(Map.of("DOCKER_HOST", "ssh://me@host")).proxy().upstream())
                .isEqualTo(UpstreamAddress.DEFAULT);
    }

    @Test
    void upstreamFlagBeatsTheEnvironment() {
        ResolvedConfig c =
                resolve(
                        Map.of("SOCKET_PATH", "/srv/docker.sock"),
                        "--upstream",
                        "tcp://127.0.0.1:2376");
        assertThat(c.proxy().upstream()).isEqualTo(UpstreamAddress.tcp("127.0.0.1", 2376));
    }

    @Test
    void logLevelFlagBeatsLogLevelVariable() {
        assertThat(resolve(Map.of("LOG_LEVEL", "warning")).logLevel()).isEqualTo("warning");
        assertThat(resolve(Map.of("LOG_LEVEL", "warning"), "--log-level", "debug").logLevel())
                .isEqualTo("debug");
    }

    @Test
    void environmentVariablesBuildThePolicyWhenNoFileOrPresetIsGiven() {
        ResolvedConfig c = resolve(Map.of("CONTAINERS", "1"));
        assertThat(allows(c, "GET", "/v1.41/containers/json")).isTrue();
        assertThat(allows(c, "GET", "/v1.41/images/json")).isFalse();
        assertThat(c.policyOrigin()).isEqualTo("environment variables");
    }

    @Test
    void policyFileReplacesTheEnvironmentRulesAndSaysSo() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("p.yaml"),
                        "version: 1\nrules:\n  - action: allow\n    endpoints: [images.list]\n");
        ResolvedConfig c = resolve(Map.of("CONTAINERS", "1"), "--policy", file.toString());
        assertThat(allows(c, "GET", "/v1.41/images/json")).isTrue();
        assertThat(allows(c, "GET", "/v1.41/containers/json")).isFalse();
        assertThat(c.envPolicy()).isFalse();
        assertThat(c.notes())
                .singleElement()
                .asString()
                .contains("--policy " + file)
                .contains("replace")
                .contains("ignored: CONTAINERS");
    }

    @Test
    void presetReplacesTheEnvironmentRules() {
        ResolvedConfig c = resolve(Map.of("IMAGES", "1"), "--preset", "traefik");
        assertThat(allows(c, "GET", "/v1.41/containers/json")).isTrue();
        assertThat(allows(c, "GET", "/v1.41/images/json")).isFalse();
        assertThat(c.policyOrigin()).isEqualTo("preset traefik");
        assertThat(c.notes())
                .singleElement()
                .asString()
                .contains("--preset traefik")
                .contains("ignored: IMAGES");
    }

    @Test
    void flagsOverrideDefaultsForTimeoutsLimitsModeAndFormat() {
        ResolvedConfig c =
                resolve(
                        Map.of(),
                        "--header-timeout",
                        "500ms",
                        "--max-connections",
                        "7",
                        "--max-header-size",
                        "4096",
                        "--socket-mode",
                        "0600",
                        "--log-format",
                        "json");
        assertThat(c.proxy().headerReadTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.proxy().maxConnections()).isEqualTo(7);
        assertThat(c.proxy().maxHeaderSize()).isEqualTo(4096);
        assertThat(c.proxy().unixSocketMode()).isEqualTo(0600);
        assertThat(c.logFormat()).isEqualTo(ResolvedConfig.LogFormat.JSON);
    }

    @Test
    void invalidValuesNameTheirFlagOrVariable() {
        assertError(Map.of("CONTAINERS", "maybe"), "CONTAINERS", "not a boolean");
        assertError(Map.of("SOCKET_PATH", "docker.sock"), "SOCKET_PATH", "absolute path");
        assertError(Map.of("LOG_LEVEL", "loud"), "LOG_LEVEL", "not a log level");
        assertError(Map.of(), "--listen", "use tcp://HOST:PORT", "--listen", "0.0.0.0:2375");
        assertError(
                Map.of(), "--listen", "IPv6 host without brackets", "--listen", "tcp://:::2375");
        assertError(Map.of(), "--listen", "out of range", "--listen", "tcp://0.0.0.0:99999");
        assertError(Map.of(), "--listen", "no path", "--listen", "tcp://host/x:2375");
        assertError(Map.of("DOCKER_HOST", "tcp://daemon"), "DOCKER_HOST", "no port");
        assertError(Map.of(), "--listen", "absolute path", "--listen", "unix://relative.sock");
        assertError(Map.of(), "--upstream", "or tcp://HOST:PORT", "--upstream", "ssh://host");
        assertError(Map.of(), "--socket-mode", "octal", "--socket-mode", "0999");
        assertError(Map.of(), "--preset", "use one of read-only", "--preset", "nope");
        assertError(
                Map.of(),
                "--preset",
                "cannot be combined with --policy",
                "--preset",
                "traefik",
                "--policy",
                "x.yaml");
        assertError(Map.of(), "--log-format", "use text or json", "--log-format", "xml");
        assertError(Map.of(), "--log-level", "not a log level", "--log-level", "chatty");
        assertError(Map.of(), "--max-connections", "at least 1", "--max-connections", "0");
        assertError(Map.of(), "--max-header-size", "at least 1024", "--max-header-size", "512");
        assertError(Map.of(), "--socket-mode", "0000..0777", "--socket-mode", "1777");
    }

    @Test
    void policyFileErrorsNameFileLineAndColumn() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("bad.yaml"),
                        "version: 1\nrules:\n  - action: allow\n    endpoint: [images.list]\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--policy", file.toString()))
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e -> assertThat(((ConfigException) e).location()).startsWith(file + ":4:"));
    }

    private static void assertError(
            Map<String, String> env, String location, String text, String... args) {
        Map<String, String> e = new HashMap<>(env);
        assertThatThrownBy(() -> resolve(e, args))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(text)
                .satisfies(x -> assertThat(((ConfigException) x).location()).isEqualTo(location));
    }
}
