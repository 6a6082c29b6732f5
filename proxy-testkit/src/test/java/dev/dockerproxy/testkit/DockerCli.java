package dev.dockerproxy.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real docker CLI against a DOCKER_HOST, with a throwaway DOCKER_CONFIG; kills what it starts by PID. */
final class DockerCli implements AutoCloseable {
    static final String DOCKER = "/usr/local/bin/docker";

    private final String dockerHost;
    private final Path config;
    private final List<Process> started = new ArrayList<>();

    DockerCli(String dockerHost) throws IOException {
        this.dockerHost = dockerHost;
        this.config = Files.createTempDirectory("docker-config");
    }

    static final class Result {
        final int exitCode;
        final String stdout;
        final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** Starts {@code docker args...}; output goes to files readable with {@link #stdoutOf(Process)}. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DOCKER);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DOCKER_HOST", dockerHost);
        pb.environment().put("DOCKER_CONFIG", config.toString());
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().remove("DOCKER_TLS_VERIFY");
        Path out = Files.createTempFile(config, "out", ".txt");
        Path err = Files.createTempFile(config, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        outputs.put(p, new Path[] {out, err});
        started.add(p);
        return p;
    }

    private final java.util.Map<Process, Path[]> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    String stdoutOf(Process p) throws IOException {
        return Files.readString(outputs.get(p)[0], StandardCharsets.UTF_8);
    }

    String stderrOf(Process p) throws IOException {
        return Files.readString(outputs.get(p)[1], StandardCharsets.UTF_8);
    }

    /** Runs {@code docker args...} to completion (killing it after 30 s). */
    Result run(String... args) throws IOException, InterruptedException {
        Process p = start(args);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            kill(p);
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 30 s; stderr: " + stderrOf(p));
        }
        return new Result(p.exitValue(), stdoutOf(p), stderrOf(p));
    }

    /** Polls until {@code p}'s stdout contains {@code text}, failing after {@code timeout}. */
    String awaitStdout(Process p, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String out = stdoutOf(p);
            if (out.contains(text)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("docker never printed '" + text + "' within " + timeout + "; stdout: " + out
                        + "\nstderr: " + stderrOf(p));
            }
            Thread.sleep(20);
        }
    }

    /** Kills {@code p} by its PID and waits for it. */
    static void kill(Process p) throws InterruptedException {
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                kill(p);
            }
        }
        try (var files = Files.walk(config)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
