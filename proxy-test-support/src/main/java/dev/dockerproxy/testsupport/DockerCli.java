package dev.dockerproxy.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the real Docker CLI ({@code /usr/local/bin/docker} unless {@code
 * -Ddockerproxy.docker.cli=...}) as a subprocess against a given {@code DOCKER_HOST} – the engine
 * itself, or a proxy in front of it.
 *
 * <p>Immutable; the {@code with*} methods return a copy. Every run gets:
 *
 * <ul>
 *   <li>{@code DOCKER_HOST} as given, a private temporary {@code DOCKER_CONFIG} (shared per JVM
 *       unless {@link #withConfigDir(Path)}), {@code DOCKER_BUILDKIT=0} (the legacy builder is what
 *       works against the 20.10 engine here) and {@code DOCKER_CLI_HINTS=false}; other inherited
 *       {@code DOCKER_*} variables are removed so a developer's environment cannot leak in;
 *   <li>stdin from the bytes given with {@link #withStdin(byte[])}, else empty (EOF at once);
 *   <li>a timeout (default 60 s): on expiry the process and its descendants are killed by PID and
 *       the result says {@link Result#timedOut()}.
 * </ul>
 *
 * <pre>{@code
 * DockerCli.Result r = DockerCli.runOn(engine.dockerHost(), "ps", "-a");   // or DockerCli.on(host).run(...)
 * String out = cli.withStdin(tar).withTimeout(Duration.ofMinutes(2)).run("load").requireSuccess().stdout();
 * try (DockerCli.Background events = cli.start("events")) { ...; events.awaitStdout("die", Duration.ofSeconds(10)); }
 * }</pre>
 */
public final class DockerCli {

    /** System property naming the docker client binary. */
    public static final String CLI_PROPERTY = "dockerproxy.docker.cli";

    public static final Path DEFAULT_BINARY = Path.of("/usr/local/bin/docker");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static volatile Path sharedConfigDir;

    private final String binary;
    private final String dockerHost;
    private final Path configDir;
    private final Duration timeout;
    private final byte[] stdin;
    private final Map<String, String> extraEnv;

    private DockerCli(
            String binary,
            String dockerHost,
            Path configDir,
            Duration timeout,
            byte[] stdin,
            Map<String, String> extraEnv) {
        this.binary = binary;
        this.dockerHost = dockerHost;
        this.configDir = configDir;
        this.timeout = timeout;
        this.stdin = stdin;
        this.extraEnv = extraEnv;
    }

    /**
     * A CLI talking to {@code dockerHost} (e.g. {@code unix:///tmp/x/docker.sock} or {@code
     * tcp://127.0.0.1:2375}).
     */
    public static DockerCli forHost(String dockerHost) {
        Objects.requireNonNull(dockerHost, "dockerHost");
        return new DockerCli(defaultBinary(), dockerHost, null, DEFAULT_TIMEOUT, null, Map.of());
    }

    /** Same as {@link #forHost(String)}: {@code DockerCli.on(proxyHost).run("ps", "-a")}. */
    public static DockerCli on(String dockerHost) {
        return forHost(dockerHost);
    }

    /** One-shot convenience: {@code DockerCli.runOn(host, "ps", "-a")}. */
    public static Result runOn(String dockerHost, String... args) {
        return forHost(dockerHost).run(args);
    }

    public static String defaultBinary() {
        String p = System.getProperty(CLI_PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        return Files.isExecutable(DEFAULT_BINARY) ? DEFAULT_BINARY.toString() : "docker";
    }

    public DockerCli withTimeout(Duration newTimeout) {
        return new DockerCli(
                binary, dockerHost, configDir, Objects.requireNonNull(newTimeout), stdin, extraEnv);
    }

    /** Bytes fed to the process's stdin (then EOF). {@code null} = empty stdin. */
    public DockerCli withStdin(byte[] bytes) {
        return new DockerCli(
                binary,
                dockerHost,
                configDir,
                timeout,
                bytes == null ? null : bytes.clone(),
                extraEnv);
    }

    public DockerCli withStdin(String text) {
        return withStdin(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Extra environment variable for the CLI (overrides the defaults, e.g. {@code
     * DOCKER_API_VERSION}).
     */
    public DockerCli withEnv(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put(name, value);
        return new DockerCli(
                binary, dockerHost, configDir, timeout, stdin, Collections.unmodifiableMap(env));
    }

    public DockerCli withHost(String newDockerHost) {
        return new DockerCli(
                binary, Objects.requireNonNull(newDockerHost), configDir, timeout, stdin, extraEnv);
    }

    public DockerCli withConfigDir(Path dir) {
        return new DockerCli(binary, dockerHost, dir, timeout, stdin, extraEnv);
    }

    public DockerCli withBinary(String path) {
        return new DockerCli(
                Objects.requireNonNull(path), dockerHost, configDir, timeout, stdin, extraEnv);
    }

    public String dockerHost() {
        return dockerHost;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs {@code docker ARGS...} to completion (or timeout). Never throws for a non-zero exit. */
    public Result run(String... args) {
        return run(Arrays.asList(args));
    }

    public Result run(List<String> args) {
        List<String> command = command(args);
        return exec(command, environment(), stdin, timeout);
    }

    /**
     * Starts {@code docker ARGS...} in the background (e.g. {@code events}, {@code logs -f}, {@code
     * attach}). Output is collected to temp files readable while it runs. Without {@link
     * #withStdin(byte[])}, {@link Background#stdin()} is an open pipe to the process. Close it to
     * kill the process (by PID) and clean up.
     */
    public Background start(String... args) {
        List<String> command = command(Arrays.asList(args));
        return Background.launch(command, environment(), stdin, timeout);
    }

    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(binary);
        command.addAll(args);
        return command;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", dockerHost);
        env.put("DOCKER_CONFIG", (configDir != null ? configDir : sharedConfigDir()).toString());
        env.put("DOCKER_BUILDKIT", "0");
        env.put("DOCKER_CLI_HINTS", "false");
        env.putAll(extraEnv);
        return env;
    }

    private static Path sharedConfigDir() {
        Path dir = sharedConfigDir;
        if (dir == null) {
            synchronized (DockerCli.class) {
                dir = sharedConfigDir;
                if (dir == null) {
                    try {
                        dir = Files.createTempDirectory("dockerproxy-cli-config");
                        Files.writeString(dir.resolve("config.json"), "{}\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Path toDelete = dir;
                    Runtime.getRuntime()
                            .addShutdownHook(
                                    new Thread(
                                            () -> deleteRecursively(toDelete),
                                            "dockerproxy-cli-config-cleanup"));
                    sharedConfigDir = dir;
                }
            }
        }
        return dir;
    }

    // ---------------------------------------------------------------- process plumbing

    /**
     * Runs any command to completion (or {@code timeout}) with {@code env} added to the inherited
     * environment (all inherited {@code DOCKER_*} variables removed when {@code env} names a {@code
     * DOCKER_HOST}); {@code stdin} {@code null} means empty.
     */
    public static Result exec(
            List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        try (Background bg = Background.launch(command, env, stdin, timeout)) {
            if (stdin == null) {
                Background.closeQuietly(bg.stdin()); // empty stdin: EOF at once
            }
            return bg.waitFor(timeout);
        }
    }

    private static void applyEnv(ProcessBuilder pb, Map<String, String> env) {
        Map<String, String> pe = pb.environment();
        if (env.containsKey("DOCKER_HOST")) {
            pe.keySet().removeIf(k -> k.startsWith("DOCKER_"));
        }
        pe.putAll(env);
    }

    /** Deletes a file tree, best effort; {@code null} or missing is fine. */
    public static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(Collections.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException ignored) {
                                    // best effort
                                }
                            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void killTree(ProcessHandle handle) {
        // by PID: the process's descendants first, then the process itself
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    /** A running CLI process; output goes to temp files readable while it runs. */
    public static final class Background implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path dir;
        private final Path out;
        private final Path err;
        private final long startNanos;
        private final Duration defaultTimeout;
        private volatile Result result;

        private Background(
                List<String> command,
                Process process,
                Path dir,
                Path out,
                Path err,
                long startNanos,
                Duration defaultTimeout) {
            this.command = command;
            this.process = process;
            this.dir = dir;
            this.out = out;
            this.err = err;
            this.startNanos = startNanos;
            this.defaultTimeout = defaultTimeout;
        }

        static Background launch(
                List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("dockerproxy-exec");
                Path out = dir.resolve("stdout");
                Path err = dir.resolve("stderr");
                ProcessBuilder pb =
                        new ProcessBuilder(command)
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile());
                if (stdin != null) {
                    Path in = dir.resolve("stdin");
                    Files.write(in, stdin);
                    pb.redirectInput(in.toFile());
                } else {
                    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
                }
                applyEnv(pb, env);
                long t0 = System.nanoTime();
                Process p = pb.start();
                return new Background(List.copyOf(command), p, dir, out, err, t0, timeout);
            } catch (IOException e) {
                deleteRecursively(dir);
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }

        public long pid() {
            return process.pid();
        }

        public Process process() {
            return process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /**
         * Pipe to the process's stdin (only when no stdin bytes were given). Close it to send EOF.
         */
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        /** Everything written to stdout so far. */
        public String stdout() {
            return new String(read(out), StandardCharsets.UTF_8);
        }

        public String stderr() {
            return new String(read(err), StandardCharsets.UTF_8);
        }

        /**
         * Polls stdout until it contains {@code needle}; returns stdout so far or throws
         * AssertionError at the deadline.
         */
        public String awaitStdout(String needle, Duration within) {
            return awaitStdout(s -> s.contains(needle), "'" + needle + "'", within);
        }

        public String awaitStdout(
                Predicate<String> condition, String description, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                String s = stdout();
                if (condition.test(s)) {
                    return s;
                }
                if (!process.isAlive()) {
                    // one last look: output may have landed just before exit
                    s = stdout();
                    if (condition.test(s)) {
                        return s;
                    }
                    throw new AssertionError(
                            "process exited ("
                                    + process.exitValue()
                                    + ") before stdout had "
                                    + description
                                    + "\n"
                                    + describe(command, s, stderr()));
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError(
                            "stdout did not get "
                                    + description
                                    + " within "
                                    + within
                                    + "\n"
                                    + describe(command, s, stderr()));
                }
                Poll.pause();
            }
        }

        /**
         * Waits for exit; on timeout kills the process tree by PID and reports {@link
         * Result#timedOut()}.
         */
        public Result waitFor(Duration within) {
            if (result != null) {
                return result;
            }
            boolean timedOut = false;
            try {
                if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    killTree(process.toHandle());
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                killTree(process.toHandle());
                timedOut = true;
            }
            closeQuietly(process.getOutputStream());
            int code = process.isAlive() ? -1 : process.exitValue();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            result = new Result(command, code, read(out), read(err), timedOut, elapsed);
            return result;
        }

        public Result waitFor() {
            return waitFor(defaultTimeout);
        }

        /**
         * Kills the process (and its descendants) by PID if still running, collects the result,
         * deletes temp files.
         */
        public Result stop() {
            if (result == null) {
                closeQuietly(process.getOutputStream());
                if (process.isAlive()) {
                    killTree(process.toHandle());
                }
                waitFor(Duration.ofSeconds(10));
            }
            deleteRecursively(dir);
            return result;
        }

        @Override
        public void close() {
            stop();
        }

        private static byte[] read(Path p) {
            try {
                return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void closeQuietly(OutputStream os) {
            try {
                os.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static String describe(List<String> command, String stdout, String stderr) {
        return "command: "
                + String.join(" ", command)
                + "\n--- stdout ---\n"
                + abbreviate(stdout)
                + "\n--- stderr ---\n"
                + abbreviate(stderr);
    }

    private static String abbreviate(String s) {
        int max = 8000;
        return s.length() <= max
                ? s
                : "…(" + (s.length() - max) + " chars cut)…" + s.substring(s.length() - max);
    }

    /** Outcome of one CLI run. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final byte[] stdout;
        private final byte[] stderr;
        private final boolean timedOut;
        private final Duration elapsed;

        Result(
                List<String> command,
                int exitCode,
                byte[] stdout,
                byte[] stderr,
                boolean timedOut,
                Duration elapsed) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.timedOut = timedOut;
            this.elapsed = elapsed;
        }

        public List<String> command() {
            return command;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stdout() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderr() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** Raw stdout, e.g. for {@code docker save} / {@code docker export}. */
        public byte[] stdoutBytes() {
            return stdout.clone();
        }

        public boolean timedOut() {
            return timedOut;
        }

        public Duration elapsed() {
            return elapsed;
        }

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** stdout lines without blanks. */
        public List<String> lines() {
            return stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        /**
         * Returns this when the command exited 0, else throws an AssertionError saying everything
         * about the run.
         */
        public Result requireSuccess() {
            if (!ok()) {
                throw new AssertionError("docker command failed: " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return (timedOut
                            ? "TIMED OUT after " + elapsed.toMillis() + " ms"
                            : "exit " + exitCode + " after " + elapsed.toMillis() + " ms")
                    + "\n"
                    + describe(command, stdout(), stderr());
        }
    }
}
