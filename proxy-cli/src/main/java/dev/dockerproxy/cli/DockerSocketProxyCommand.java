package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code docker-socket-proxy} command. Without a subcommand it serves, like {@code serve}.
 * The environment is injected, so tests run every command with a plain map.
 *
 * <p>The subcommands are added in {@link #commandLine(Map, Consumer)}, not in the annotation, so
 * that {@link #execute} can serve without building their picocli models (reflection over every
 * subcommand, its options and annotations: ~1 MB of a serving proxy's RSS).
 */
@Command(name = "docker-socket-proxy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"A Docker Engine API socket proxy: a drop-in for Tecnativa's docker-socket-proxy.",
            "Without a subcommand it runs 'serve'. Configuration, lowest precedence first: defaults, "
                    + "environment (CONTAINERS=1, POST=1, SOCKET_PATH, ...), policy file or preset, flags."},
        footer = ExitCodes.FOOTER)
public final class DockerSocketProxyCommand implements Callable<Integer> {

    /** The subcommands, in the order the usage help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ServeCommand.class, ExplainCommand.class,
            CheckCommand.class, VerifyCommand.class, HealthCommand.class, CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class);

    /** Their names and aliases ({@code DockerSocketProxyCommandTest} checks this against picocli's model). */
    static final Set<String> SUBCOMMAND_NAMES = Set.of("serve", "explain", "check", "verify", "health", "help",
            "generate-completion");

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
        for (Class<?> subcommand : SUBCOMMANDS) {
            cl.addSubcommand(subcommand);
        }
        cl.setExecutionExceptionHandler(DockerSocketProxyCommand::handle); // after the subcommands: it applies to them
        return cl;
    }

    /**
     * Runs the command as {@link Main} does, exactly like {@code commandLine(env).execute(args)}, but
     * when no argument names a subcommand (the usual {@code docker-socket-proxy --listen ...} start)
     * it parses and serves with a command line that has none, so their models are never built.
     * Whatever that command line cannot answer alone goes to the full one with the same arguments:
     * a usage error (its message and usage help list the subcommands) and {@code --help}.
     */
    public static int execute(Map<String, String> env, String... args) {
        return execute(env, running -> { }, null, null, args);
    }

    /** {@link #execute(Map, String...)} with the start-up callback and, when not null, the output writers. */
    static int execute(Map<String, String> env, Consumer<ProxyRunner.Running> onStarted, PrintWriter out,
                       PrintWriter err, String... args) {
        Supplier<CommandLine> full = () -> writers(commandLine(env, onStarted), out, err);
        if (mayNameSubcommand(args)) {
            return full.get().execute(args);
        }
        CommandLine alone = new CommandLine(new DockerSocketProxyCommand(env, onStarted));
        alone.setExecutionExceptionHandler(DockerSocketProxyCommand::handle);
        writers(alone, out, err);
        boolean[] executing = {false};
        CommandLine.IParameterExceptionHandler parseErrors = alone.getParameterExceptionHandler();
        alone.setParameterExceptionHandler((e, a) -> executing[0] ? parseErrors.handleParseException(e, a)
                : full.get().execute(args));
        alone.setExecutionStrategy(parsed -> {
            if (parsed.isUsageHelpRequested()) {
                return full.get().execute(args);
            }
            executing[0] = true;
            return new CommandLine.RunLast().execute(parsed);
        });
        return alone.execute(args);
    }

    /** Whether an argument is a subcommand's name, or an {@code @file} of arguments that may hold one. */
    static boolean mayNameSubcommand(String... args) {
        for (String a : args) {
            if (SUBCOMMAND_NAMES.contains(a) || a.startsWith("@")) {
                return true;
            }
        }
        return false;
    }

    private static CommandLine writers(CommandLine cl, PrintWriter out, PrintWriter err) {
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
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
