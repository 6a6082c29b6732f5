package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.server.ProxyConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "explain", "check"})
    void everyCommandHasHelpWithTheFlagsAndExitCodes(String command) {
        CliRun.Result r =
                command.isEmpty()
                        ? CliRun.run(Map.of(), "--help")
                        : CliRun.run(Map.of(), command, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("Usage: docker-socket-proxy")
                .contains("--help")
                .contains("--version")
                .contains("Exit codes:")
                .contains("2  usage or configuration error");
        if (!command.equals("")) {
            assertThat(r.out())
                    .contains(
                            "--listen=ADDR",
                            "--upstream=ADDR",
                            "--policy=FILE",
                            "--preset=NAME",
                            "--header-timeout=DURATION",
                            "--log-format=FORMAT",
                            "--log-level=LEVEL");
        }
    }

    @Test
    void theDefaultsTheHelpStatesAreTheCores() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new ConfigOptions()).getCommandSpec();
        assertThat(description(spec, "--max-connections"))
                .contains("(default: " + ProxyConfig.DEFAULT_MAX_CONNECTIONS + ")");
        assertThat(description(spec, "--max-header-size"))
                .contains("(default: " + ProxyConfig.DEFAULT_MAX_HEADER_SIZE + ")");
        assertThat(description(spec, "--header-timeout"))
                .contains(
                        "(default: " + ProxyConfig.DEFAULT_HEADER_READ_TIMEOUT.toSeconds() + "s)");
        assertThat(description(spec, "--socket-mode"))
                .contains(
                        "(default: 0"
                                + Integer.toOctalString(ProxyConfig.DEFAULT_UNIX_SOCKET_MODE)
                                + ")");
        assertThat(description(spec, "--upstream"))
                .contains(dev.dockerproxy.server.UpstreamAddress.DEFAULT.toString());
    }

    private static String description(CommandLine.Model.CommandSpec spec, String option) {
        return String.join(" ", spec.findOption(option).description());
    }

    @Test
    void versionNamesTheProject() {
        CliRun.Result r = CliRun.run(Map.of(), "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("docker-socket-proxy ").doesNotContain("unknown");
    }

    @Test
    void completionScriptCoversTheSubcommands() {
        CliRun.Result r = CliRun.run(Map.of(), "generate-completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F").contains("explain").contains("check");
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitTwo() {
        CliRun.Result r = CliRun.run(Map.of(), "check", "--lisen", "tcp://x:1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("'--lisen'").contains("Possible solutions: --listen");
    }
}
