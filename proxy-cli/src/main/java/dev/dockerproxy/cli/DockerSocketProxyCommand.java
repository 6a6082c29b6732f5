package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code docker-socket-proxy} command. Without a subcommand it serves, like {@code serve}.
 * The environment is injected, so tests run every command with a plain map.
 */
@Command(name = "docker-socket-proxy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"A Docker Engine API socket proxy: a drop-in for Tecnativa's docker-socket-proxy.",
            "Without a subcommand it runs 'serve'. Configuration, lowest precedence first: defaults, "
                    + "environment (CONTAINERS=1, POST=1, SOCKET_PATH, ...), policy file or preset, flags."},
        subcommands = {ServeCommand.class, ExplainCommand.class, CheckCommand.class, VerifyCommand.class, HealthCommand.class,
            CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footer = ExitCodes.FOOTER)
public final class DockerSocketProxyCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final Consumer<ProxyRunner.Running> onStarted;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    /** @param env the process environment ({@code System.getenv()} in production) */
    public DockerSocketProxyCommand(Map<String, String> env) {
        this(env, running -> { });
    }

    DockerSocketProxyCommand(Map<String, String> env, Consumer<ProxyRunner.Running> onStarted) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.onStarted = Objects.requireNonNull(onStarted, "onStarted");
    }

    /** A command line ready to {@code execute}, with the configuration-error handler installed. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, running -> { });
    }

    /** Like {@link #commandLine(Map)}; {@code onStarted} receives the running proxy (tests stop it with it). */
    static CommandLine commandLine(Map<String, String> env, Consumer<ProxyRunner.Running> onStarted) {
        CommandLine cl = new CommandLine(new DockerSocketProxyCommand(env, onStarted));
        cl.setExecutionExceptionHandler(DockerSocketProxyCommand::handle);
        return cl;
    }

    /** Runs {@code serve} with these flags; shared by the default command and the {@code serve} subcommand. */
    int serve(ConfigOptions flags, CommandLine commandLine) throws InterruptedException {
        return new ProxyRunner(ConfigResolver.resolve(flags, env), () -> ConfigResolver.resolve(flags, env),
                commandLine.getOut(), commandLine.getErr(), onStarted).run();
    }

    /** The injected environment. */
    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() throws InterruptedException {
        return serve(config, spec.commandLine());
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ConfigException) {
            err.println("docker-socket-proxy: configuration error: " + Escaping.printable(e.getMessage()));
            err.flush();
            return ExitCodes.CONFIG;
        }
        err.println("docker-socket-proxy: " + Escaping.printable(String.valueOf(e.getMessage()))
                + " (" + e.getClass().getSimpleName() + ")");
        err.flush();
        return ExitCodes.RUNTIME;
    }
}
