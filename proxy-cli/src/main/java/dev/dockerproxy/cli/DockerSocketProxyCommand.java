package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code docker-socket-proxy} command. Without a subcommand it serves, like {@code serve}. The
 * environment is injected, so tests run every command with a plain map.
 *
 * <p>The subcommands are added in {@link #commandLine(Map, Consumer)}, not in the annotation, so
 * that {@link #execute} can serve without building the models of those it does not run (picocli's
 * reflection over every subcommand, its options and annotations: ~1 MB of a serving proxy's RSS).
 */
@Command(
        name = "docker-socket-proxy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "A Docker Engine API socket proxy: a drop-in for Tecnativa's docker-socket-proxy.",
            "Without a subcommand it runs 'serve'. Configuration, lowest precedence first: defaults, "
                    + "environment (CONTAINERS=1, POST=1, SOCKET_PATH, ...), policy file or preset, flags."
        },
        footer = ExitCodes.FOOTER)
public final class DockerSocketProxyCommand implements Callable<Integer> {

    /**
     * The subcommands that work without their siblings, by name, in the order the usage help lists
     * them.
     */
    private static final Map<String, Class<?>> STANDALONE = standalone();

    /**
     * The subcommands that read the whole hierarchy (usage help, completion script), after those.
     */
    private static final Set<String> HIERARCHY = Set.of("help", "generate-completion");

    private static Map<String, Class<?>> standalone() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("serve", ServeCommand.class);
        m.put("explain", ExplainCommand.class);
        m.put("check", CheckCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("health", HealthCommand.class);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Every subcommand name ({@code DockerSocketProxyCommandTest} checks them against picocli's
     * model).
     */
    static Set<String> subcommandNames() {
        Set<String> names = new TreeSet<>(STANDALONE.keySet());
        names.addAll(HIERARCHY);
        return names;
    }

    private final Map<String, String> env;
    private final Consumer<ProxyRunner.Running> onStarted;

    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConfigOptions config = new ConfigOptions();

    /**
     * @param env the process environment ({@code System.getenv()} in production)
     */
    public DockerSocketProxyCommand(Map<String, String> env) {
        this(env, running -> {});
    }

    DockerSocketProxyCommand(Map<String, String> env, Consumer<ProxyRunner.Running> onStarted) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.onStarted = Objects.requireNonNull(onStarted, "onStarted");
    }

    /** A command line ready to {@code execute}, with the configuration-error handler installed. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, running -> {});
    }

    /**
     * Like {@link #commandLine(Map)}; {@code onStarted} receives the running proxy (tests stop it
     * with it).
     */
    static CommandLine commandLine(
            Map<String, String> env, Consumer<ProxyRunner.Running> onStarted) {
        List<Class<?>> all = new ArrayList<>(STANDALONE.values());
        all.add(CommandLine.HelpCommand.class);
        all.add(AutoComplete.GenerateCompletion.class);
        return build(env, onStarted, all);
    }

    /** A command line with these subcommands, in this order, and the error handler. */
    private static CommandLine build(
            Map<String, String> env,
            Consumer<ProxyRunner.Running> onStarted,
            List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new DockerSocketProxyCommand(env, onStarted));
        subcommands.forEach(cl::addSubcommand);
        cl.setExecutionExceptionHandler(
                DockerSocketProxyCommand::handle); // after the subcommands: it applies to them
        return cl;
    }

    /**
     * Runs the command as {@link Main} does, exactly like {@code commandLine(env).execute(args)},
     * but with a command line that has only the subcommands the arguments name (none for the usual
     * {@code docker-socket-proxy --listen ...} start, {@code serve} alone for the image's {@code
     * serve}), so the models of the others are never built. Whatever that command line cannot
     * answer alone goes to the full one with the same arguments: a usage error (its message and
     * usage help list the subcommands), {@code --help}, {@code help}, {@code generate-completion}
     * and {@code @file} arguments.
     */
    public static int execute(Map<String, String> env, String... args) {
        return execute(env, running -> {}, null, null, args);
    }

    /**
     * {@link #execute(Map, String...)} with the start-up callback and, when not null, the output
     * writers.
     */
    static int execute(
            Map<String, String> env,
            Consumer<ProxyRunner.Running> onStarted,
            PrintWriter out,
            PrintWriter err,
            String... args) {
        Supplier<CommandLine> full = () -> writers(commandLine(env, onStarted), out, err);
        List<Class<?>> named = namedSubcommands(args);
        if (named == null) {
            return full.get().execute(args);
        }
        CommandLine partial = writers(build(env, onStarted, named), out, err);
        boolean[] executing = {false};
        CommandLine.IParameterExceptionHandler parseErrors = partial.getParameterExceptionHandler();
        partial.setParameterExceptionHandler(
                (e, a) ->
                        executing[0]
                                ? parseErrors.handleParseException(e, a)
                                : full.get().execute(args));
        partial.setExecutionStrategy(
                parsed -> {
                    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                        if (p.isUsageHelpRequested()) {
                            return full.get().execute(args);
                        }
                    }
                    executing[0] = true;
                    return new CommandLine.RunLast().execute(parsed);
                });
        return partial.execute(args);
    }

    /**
     * The subcommands the arguments name, in the usage help's order; {@code null} when the full
     * command line is needed: an argument names {@code help} or {@code generate-completion}, or is
     * an {@code @file} of arguments.
     */
    static List<Class<?>> namedSubcommands(String... args) {
        Set<String> names = new HashSet<>();
        for (String a : args) {
            if (HIERARCHY.contains(a) || a.startsWith("@")) {
                return null;
            }
            if (STANDALONE.containsKey(a)) {
                names.add(a);
            }
        }
        List<Class<?>> named = new ArrayList<>();
        STANDALONE.forEach(
                (name, type) -> {
                    if (names.contains(name)) {
                        named.add(type);
                    }
                });
        return named;
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

    /**
     * Runs {@code serve} with these flags; shared by the default command and the {@code serve}
     * subcommand.
     */
    int serve(ConfigOptions flags, CommandLine commandLine) throws InterruptedException {
        return new ProxyRunner(
                        ConfigResolver.resolve(flags, env),
                        () -> ConfigResolver.resolve(flags, env),
                        commandLine.getOut(),
                        commandLine.getErr(),
                        onStarted)
                .run();
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
            err.println(
                    "docker-socket-proxy: configuration error: "
                            + Escaping.printable(e.getMessage()));
            err.flush();
            return ExitCodes.CONFIG;
        }
        err.println(
                "docker-socket-proxy: "
                        + Escaping.printable(String.valueOf(e.getMessage()))
                        + " ("
                        + e.getClass().getSimpleName()
                        + ")");
        err.flush();
        return ExitCodes.RUNTIME;
    }
}
