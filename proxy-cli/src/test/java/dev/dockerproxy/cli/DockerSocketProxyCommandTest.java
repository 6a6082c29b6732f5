package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DockerSocketProxyCommand#execute} (Main's entry point) answers exactly as the full command
 * line does.
 */
class DockerSocketProxyCommandTest {

    @Test
    void subcommandNamesAreThoseOfTheModel() {
        assertThat(DockerSocketProxyCommand.commandLine(Map.of()).getSubcommands().keySet())
                .containsExactlyInAnyOrderElementsOf(DockerSocketProxyCommand.subcommandNames());
    }

    @Test
    void onlyTheNamedSubcommandsAreBuilt() {
        assertThat(
                        DockerSocketProxyCommand.namedSubcommands(
                                "--listen", "tcp://127.0.0.1:2375", "--log-level", "info"))
                .isEmpty();
        assertThat(DockerSocketProxyCommand.namedSubcommands()).isEmpty();
        assertThat(DockerSocketProxyCommand.namedSubcommands("serve"))
                .containsExactly(ServeCommand.class);
        assertThat(DockerSocketProxyCommand.namedSubcommands("check", "--preset", "serve"))
                .containsExactly(ServeCommand.class, CheckCommand.class);
        assertThat(DockerSocketProxyCommand.namedSubcommands("help", "serve")).isNull();
        assertThat(DockerSocketProxyCommand.namedSubcommands("generate-completion")).isNull();
        assertThat(DockerSocketProxyCommand.namedSubcommands("@args.txt")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "--version",
                "-V",
                "--lisen=tcp://x:1",
                "--max-connections=many",
                "stray",
                "explain --help",
                "check --lisen tcp://x:1",
                "help serve",
                "--listen serve",
                "serve --help",
                "serve -V",
                "serve --bogus",
                "serve stray",
                "serve serve",
                "serve --upstream tcp://127.0.0.1:1 --listen tcp://127.0.0.1:0",
                "--upstream tcp://127.0.0.1:1 --listen tcp://127.0.0.1:0",
                "explain GET /v1.41/containers/json",
                "check --preset traefik",
                "check --format json --preset homepage",
                "health --bogus",
                "verify --help",
                "explain check",
                "generate-completion",
                "help"
            })
    void answersAsTheFullCommandLine(String line) {
        String[] args = line.split(" ");
        CliRun.Result full = CliRun.run(Map.of(), args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                DockerSocketProxyCommand.execute(
                        Map.of(),
                        r -> {},
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        args);
        assertThat(code).isEqualTo(full.exitCode());
        assertThat(out.toString()).isEqualTo(full.out());
        assertThat(err.toString()).isEqualTo(full.err());
    }

    @Test
    void helpListsTheSubcommands() {
        StringWriter out = new StringWriter();
        int code =
                DockerSocketProxyCommand.execute(
                        Map.of(),
                        r -> {},
                        new PrintWriter(out, true),
                        new PrintWriter(new StringWriter(), true),
                        "--help");
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains(
                        "Commands:",
                        "serve",
                        "explain",
                        "check",
                        "verify",
                        "health",
                        "generate-completion");
    }
}
