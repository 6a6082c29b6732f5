package dev.dockerproxy.it;

import dev.dockerproxy.testsupport.DockerCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Docker Engine for end-to-end tests, started once per JVM by the project's {@code
 * scripts/docker-engine.sh} on a private UNIX socket (networking off, offline image {@code
 * local/busybox:latest} imported) and stopped at the end – by the JUnit root store (see {@link
 * DockerEngineExtension}) or, as a backstop, by a JVM shutdown hook.
 *
 * <p>In tests, prefer {@link RequiresDockerEngine @RequiresDockerEngine} on the class and take a
 * {@code DockerEngine} / {@code DockerCli} parameter. Directly: {@code DockerEngine.shared()}.
 *
 * <p>Knobs:
 *
 * <ul>
 *   <li>{@code -Ddockerproxy.e2e=true} – run e2e tests (otherwise they are skipped); with it, an
 *       engine that cannot start FAILS the tests, with the tail of dockerd's log.
 *   <li>{@code -Ddockerproxy.engine.host=unix:///path/docker.sock} (or env {@code
 *       DOCKERPROXY_ENGINE_HOST}) – use an engine you started yourself with the script; it is
 *       neither started nor stopped here.
 *   <li>env {@code DOCKERPROXY_ENGINE_ROOT} (or {@code -Ddockerproxy.engine.root}) – parent
 *       directory for the engine's directory (default {@code /tmp}); {@code .ci/run} uses it to
 *       find and stop engines a killed JVM left behind.
 *   <li>{@code -Ddockerproxy.engine.script=/path/docker-engine.sh} – the script; by default found
 *       by walking up from {@code user.dir} to {@code scripts/docker-engine.sh}.
 * </ul>
 */
public final class DockerEngine {

    public static final String E2E_PROPERTY = "dockerproxy.e2e";
    public static final String HOST_PROPERTY = "dockerproxy.engine.host";
    public static final String HOST_ENV = "DOCKERPROXY_ENGINE_HOST";
    public static final String ROOT_PROPERTY = "dockerproxy.engine.root";
    public static final String ROOT_ENV = "DOCKERPROXY_ENGINE_ROOT";
    public static final String SCRIPT_PROPERTY = "dockerproxy.engine.script";
    public static final String SCRIPT_RELATIVE = "scripts/docker-engine.sh";

    /** The offline image every engine started by the script has. */
    public static final String BUSYBOX = "local/busybox:latest";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private static final Object LOCK = new Object();
    private static DockerEngine shared;
    private static EngineUnavailableException sharedFailure;

    private final Path dir; // null when external
    private final Path script; // null when external
    private final String dockerHost;
    private final Duration startupTime;
    private final Thread shutdownHook;
    private boolean stopped;

    private DockerEngine(Path dir, Path script, String dockerHost, Duration startupTime) {
        this.dir = dir;
        this.script = script;
        this.dockerHost = dockerHost;
        this.startupTime = startupTime;
        if (dir != null) {
            this.shutdownHook = new Thread(this::stopFromHook, "docker-engine-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /** True when {@code -Ddockerproxy.e2e=true}. */
    public static boolean e2eEnabled() {
        return Boolean.parseBoolean(System.getProperty(E2E_PROPERTY, "false").trim());
    }

    /**
     * The JVM-wide engine, started on first use. A failure is remembered: later calls throw the
     * same {@link EngineUnavailableException} at once instead of trying again.
     */
    public static DockerEngine shared() {
        synchronized (LOCK) {
            if (shared != null && !shared.isStopped()) {
                return shared;
            }
            if (sharedFailure != null) {
                throw new EngineUnavailableException(sharedFailure.getMessage(), sharedFailure);
            }
            try {
                shared = startOrAttach();
                return shared;
            } catch (EngineUnavailableException e) {
                sharedFailure = e;
                throw e;
            }
        }
    }

    /** The shared engine if it has been started, without starting it. */
    public static Optional<DockerEngine> sharedIfStarted() {
        synchronized (LOCK) {
            return Optional.ofNullable(shared);
        }
    }

    private static DockerEngine startOrAttach() {
        String external =
                Optional.ofNullable(System.getProperty(HOST_PROPERTY))
                        .filter(s -> !s.isBlank())
                        .orElse(System.getenv(HOST_ENV));
        if (external != null && !external.isBlank()) {
            return attach(external.trim());
        }
        return start(newEngineDir(), findScript());
    }

    private static DockerEngine attach(String host) {
        DockerCli.Result ping =
                DockerCli.forHost(host)
                        .withTimeout(Duration.ofSeconds(20))
                        .run("version", "--format", "{{.Server.APIVersion}}");
        if (!ping.ok()) {
            throw new EngineUnavailableException(
                    "the engine at "
                            + host
                            + " (from "
                            + HOST_PROPERTY
                            + "/"
                            + HOST_ENV
                            + ") does not answer: "
                            + ping);
        }
        return new DockerEngine(null, null, host, Duration.ZERO);
    }

    /**
     * Starts a new engine in {@code dir} with {@code script}; the caller must {@link #stop()} it.
     */
    public static DockerEngine start(Path dir, Path script) {
        long t0 = System.nanoTime();
        DockerCli.Result r =
                DockerCli.exec(
                        List.of("bash", script.toString(), "start", dir.toString()),
                        Map.of(),
                        null,
                        START_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String host =
                r.lines().stream()
                        .filter(l -> l.startsWith("DOCKER_HOST="))
                        .map(l -> l.substring("DOCKER_HOST=".length()))
                        .reduce((a, b) -> b)
                        .orElse(null);
        if (!r.ok() || host == null) {
            String log = readLogTail(dir, 60);
            // the script cleans up after a failed start; if it timed out here, make sure
            runScript(script, "stop", dir, STOP_TIMEOUT);
            throw new EngineUnavailableException(
                    "could not start a Docker Engine with "
                            + script
                            + " start "
                            + dir
                            + (r.timedOut() ? " (timed out after " + START_TIMEOUT + ")" : "")
                            + "\n"
                            + r
                            + (log.isEmpty() ? "" : "\n--- dockerd.log (tail) ---\n" + log)
                            + "\nHint: install it with `"
                            + script
                            + " install` (needs root and Debian's docker.io).");
        }
        System.err.printf("[docker-engine] started %s in %d ms%n", host, took.toMillis());
        return new DockerEngine(dir, script, host, took);
    }

    private static Path newEngineDir() {
        String root =
                Optional.ofNullable(System.getProperty(ROOT_PROPERTY))
                        .filter(s -> !s.isBlank())
                        .orElse(
                                Optional.ofNullable(System.getenv(ROOT_ENV))
                                        .filter(s -> !s.isBlank())
                                        .orElse("/tmp"));
        try {
            Path base = Path.of(root).toAbsolutePath();
            Files.createDirectories(base);
            // short: UNIX socket paths are limited to ~100 bytes (the script checks)
            return Files.createTempDirectory(base, "dpe");
        } catch (IOException e) {
            throw new EngineUnavailableException(
                    "cannot create an engine directory under " + root + ": " + e, e);
        }
    }

    /**
     * {@code scripts/docker-engine.sh}, from {@code -Ddockerproxy.engine.script} or by walking up
     * from {@code user.dir}.
     */
    public static Path findScript() {
        String configured = System.getProperty(SCRIPT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new EngineUnavailableException(
                        SCRIPT_PROPERTY + "=" + configured + " does not exist");
            }
            return p;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve(SCRIPT_RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new EngineUnavailableException(
                "cannot find "
                        + SCRIPT_RELATIVE
                        + " in "
                        + start
                        + " or any parent directory (set -D"
                        + SCRIPT_PROPERTY
                        + "=...)");
    }

    // ------------------------------------------------------------------ accessors

    /** {@code unix:///.../docker.sock} (or whatever an external engine was given as). */
    public String dockerHost() {
        return dockerHost;
    }

    /** The engine's UNIX socket. */
    public Path socketPath() {
        if (!dockerHost.startsWith("unix://")) {
            throw new IllegalStateException("not a UNIX socket engine: " + dockerHost);
        }
        return Path.of(dockerHost.substring("unix://".length()));
    }

    /** The engine's directory (socket, data, log), empty for an external engine. */
    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    /** Wall time of {@code docker-engine.sh start} (zero for an external engine). */
    public Duration startupTime() {
        return startupTime;
    }

    public boolean external() {
        return dir == null;
    }

    /** The real docker CLI pointed straight at the engine (not through a proxy). */
    public DockerCli cli() {
        return DockerCli.forHost(dockerHost);
    }

    /** Last lines of dockerd's log (empty for an external engine). */
    public String logTail(int lines) {
        return dir == null ? "" : readLogTail(dir, lines);
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /**
     * Stops the engine (removes containers, kills dockerd by PID, unmounts, deletes its dir).
     * Idempotent.
     */
    public void stop() {
        stop(false);
    }

    private void stopFromHook() {
        stop(true);
    }

    private synchronized void stop(boolean fromHook) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (dir == null) {
            return;
        }
        if (!fromHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; stop() is idempotent
            }
        }
        DockerCli.Result r = runScript(script, "stop", dir, STOP_TIMEOUT);
        if (!r.ok()) {
            System.err.println("[docker-engine] stop failed: " + r);
        } else {
            System.err.println("[docker-engine] stopped " + dockerHost);
        }
    }

    private static DockerCli.Result runScript(Path script, String cmd, Path dir, Duration timeout) {
        return DockerCli.exec(
                List.of("bash", script.toString(), cmd, dir.toString()), Map.of(), null, timeout);
    }

    private static String readLogTail(Path dir, int lines) {
        Path log = dir.resolve("dockerd.log");
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "DockerEngine[" + dockerHost + (dir == null ? ", external" : "") + "]";
    }

    /**
     * The engine could not be started or reached; the message has the script output and dockerd's
     * log tail.
     */
    public static final class EngineUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public EngineUnavailableException(String message) {
            super(message);
        }

        public EngineUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
