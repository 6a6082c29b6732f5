package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.ConfigException;
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

    @TempDir
    Path dir;

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
        assertThat(c.listeners()).extracting(Address::toString)
                .containsExactly("tcp://0.0.0.0:2375", "tcp://[::]:2375");
        assertThat(c.upstream()).hasToString("unix:///var/run/docker.sock");
        assertThat(c.socketModeText()).isEqualTo("0660");
        assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logFormat()).isEqualTo(ResolvedConfig.LogFormat.TEXT);
        assertThat(c.envPolicy()).isTrue();
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void disableIpv6DropsTheIpv6DefaultListener() {
        ResolvedConfig c = resolve(Map.of("DISABLE_IPV6", "1"));
        assertThat(c.listeners()).extracting(Address::toString).containsExactly("tcp://0.0.0.0:2375");
    }

    @Test
    void listenFlagsReplaceTheDefaultListeners() {
        ResolvedConfig c = resolve(Map.of(), "--listen", "tcp://127.0.0.1:0", "--listen", "unix:///run/p.sock",
                "--listen", "tcp://[::1]:2376");
        assertThat(c.listeners()).containsExactly(Address.tcp("127.0.0.1", 0), Address.unix("/run/p.sock"),
                Address.tcp("::1", 2376));
    }

    @Test
    void upstreamComesFromSocketPathThenDockerHostThenTheDefault() {
        assertThat(resolve(Map.of("SOCKET_PATH", "/srv/docker.sock", "DOCKER_HOST", "tcp://d:2375")).upstream())
                .isEqualTo(Address.unix("/srv/docker.sock"));
        assertThat(resolve(Map.of("DOCKER_HOST", "tcp://daemon:2375")).upstream())
                .isEqualTo(Address.tcp("daemon", 2375));
        assertThat(resolve(Map.of("DOCKER_HOST", "ssh://me@host")).upstream())
                .isEqualTo(Address.unix("/var/run/docker.sock"));
    }

    @Test
    void upstreamFlagBeatsTheEnvironment() {
        ResolvedConfig c = resolve(Map.of("SOCKET_PATH", "/srv/docker.sock"), "--upstream", "tcp://127.0.0.1:2376");
        assertThat(c.upstream()).isEqualTo(Address.tcp("127.0.0.1", 2376));
    }

    @Test
    void logLevelFlagBeatsLogLevelVariable() {
        assertThat(resolve(Map.of("LOG_LEVEL", "warning")).logLevel()).isEqualTo("warning");
        assertThat(resolve(Map.of("LOG_LEVEL", "warning"), "--log-level", "debug").logLevel()).isEqualTo("debug");
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
        Path file = Files.writeString(dir.resolve("p.yaml"),
                "version: 1\nrules:\n  - action: allow\n    endpoints: [images.list]\n");
        ResolvedConfig c = resolve(Map.of("CONTAINERS", "1"), "--policy", file.toString());
        assertThat(allows(c, "GET", "/v1.41/images/json")).isTrue();
        assertThat(allows(c, "GET", "/v1.41/containers/json")).isFalse();
        assertThat(c.envPolicy()).isFalse();
        assertThat(c.notes()).singleElement().asString()
                .contains("--policy " + file).contains("replace").contains("ignored: CONTAINERS");
    }

    @Test
    void presetReplacesTheEnvironmentRules() {
        ResolvedConfig c = resolve(Map.of("IMAGES", "1"), "--preset", "traefik");
        assertThat(allows(c, "GET", "/v1.41/containers/json")).isTrue();
        assertThat(allows(c, "GET", "/v1.41/images/json")).isFalse();
        assertThat(c.policyOrigin()).isEqualTo("preset traefik");
        assertThat(c.notes()).singleElement().asString().contains("--preset traefik").contains("ignored: IMAGES");
    }

    @Test
    void flagsOverrideDefaultsForTimeoutsLimitsModeAndFormat() {
        ResolvedConfig c = resolve(Map.of(), "--header-timeout", "500ms", "--max-connections", "7",
                "--max-header-size", "4096", "--socket-mode", "0600", "--log-format", "json");
        assertThat(c.headerTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.maxConnections()).isEqualTo(7);
        assertThat(c.maxHeaderSize()).isEqualTo(4096);
        assertThat(c.socketMode()).isEqualTo(0600);
        assertThat(c.logFormat()).isEqualTo(ResolvedConfig.LogFormat.JSON);
    }

    @Test
    void invalidValuesNameTheirFlagOrVariable() {
        assertError(Map.of("CONTAINERS", "maybe"), "CONTAINERS", "not a boolean");
        assertError(Map.of("SOCKET_PATH", "docker.sock"), "SOCKET_PATH", "absolute path");
        assertError(Map.of("LOG_LEVEL", "loud"), "LOG_LEVEL", "not a log level");
        assertError(Map.of(), "--listen", "use tcp://HOST:PORT", "--listen", "0.0.0.0:2375");
        assertError(Map.of(), "--listen", "put an IPv6 address in brackets", "--listen", "tcp://:::2375");
        assertError(Map.of(), "--listen", "port must be a number", "--listen", "tcp://0.0.0.0:99999");
        assertError(Map.of(), "--listen", "absolute path", "--listen", "unix://relative.sock");
        assertError(Map.of(), "--upstream", "use tcp://HOST:PORT", "--upstream", "ssh://host");
        assertError(Map.of(), "--socket-mode", "octal", "--socket-mode", "0999");
        assertError(Map.of(), "--preset", "use one of read-only", "--preset", "nope");
        assertError(Map.of(), "--preset", "cannot be combined with --policy", "--preset", "traefik",
                "--policy", "x.yaml");
        assertError(Map.of(), "--log-format", "use text or json", "--log-format", "xml");
        assertError(Map.of(), "--log-level", "not a log level", "--log-level", "chatty");
        assertError(Map.of(), "--max-connections", "positive", "--max-connections", "0");
    }

    @Test
    void policyFileErrorsNameFileLineAndColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"),
                "version: 1\nrules:\n  - action: allow\n    endpoint: [images.list]\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--policy", file.toString()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).location()).startsWith(file + ":4:"));
    }

    private static void assertError(Map<String, String> env, String location, String text, String... args) {
        Map<String, String> e = new HashMap<>(env);
        assertThatThrownBy(() -> resolve(e, args))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(text)
                .satisfies(x -> assertThat(((ConfigException) x).location()).isEqualTo(location));
    }
}
