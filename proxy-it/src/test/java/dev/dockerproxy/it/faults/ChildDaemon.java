package dev.dockerproxy.it.faults;

import dev.dockerproxy.testkit.DockerEngineDispatcher;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FakeDockerDaemon} in its own JVM, so a test can kill it like a crashing {@code dockerd}
 * ({@code SIGKILL}: no clean close, no terminating chunk) and keep its connections' descriptors and
 * threads out of the test JVM's counts (5,000 connections need 3 descriptors each on the proxy side
 * alone).
 *
 * <p>Routes besides the canned engine: {@code GET /containers/{id}/logs} streams a line every 20 ms
 * and never ends; {@code /events} is the canned event stream. Commands on stdin, one a line,
 * answered on stdout: {@code event JSON} (answer: {@code pushed N}), {@code subscribers N} (waits
 * up to 2 minutes; answer {@code subscribers ok} or {@code subscribers timeout M}).
 */
final class ChildDaemon implements AutoCloseable {

    private final Process process;
    private final Path socket;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(1024);

    private ChildDaemon(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        this.commands =
                new PrintWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                        true);
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; ) {
                                    answers.offer(line);
                                }
                            } catch (IOException ignored) {
                                // the child died; answers stop
                            }
                        },
                        "child-daemon-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child daemon on {@code socket} (deleting a stale socket file a killed daemon left
     * behind).
     */
    static ChildDaemon start(Path socket) throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "-Xss256k",
                        "-XX:+UseSerialGC",
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChildDaemon.class.getName(),
                        socket.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        ChildDaemon child = new ChildDaemon(pb.start(), socket);
        String first = child.answers.poll(30, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("listening ")) {
            child.close();
            throw new IOException("child daemon did not start on " + socket + "; said: " + first);
        }
        return child;
    }

    Path socket() {
        return socket;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Pushes one event to every open /events stream of the child; returns how many streams got it.
     */
    int pushEvent(String json) throws InterruptedException {
        return Integer.parseInt(
                ask("event " + json, Duration.ofSeconds(30)).substring("pushed ".length()));
    }

    /** Waits until the child has {@code n} open /events streams. */
    void awaitEventSubscribers(int n) throws InterruptedException {
        String a = ask("subscribers " + n, Duration.ofMinutes(3));
        if (!a.equals("subscribers ok")) {
            throw new AssertionError("child daemon: expected " + n + " open /events streams; " + a);
        }
    }

    private String ask(String command, Duration timeout) throws InterruptedException {
        answers.clear();
        commands.println(command);
        String a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
            throw new AssertionError(
                    "child daemon did not answer '" + command + "' within " + timeout);
        }
        return a;
    }

    /** SIGKILL, like a crashing daemon: the kernel closes its sockets, no byte more is written. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(
                    "child daemon " + process.pid() + " did not die after SIGKILL");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** The child's entry point: {@code ChildDaemon SOCKET}. */
    public static void main(String[] args) throws Exception {
        FakeResponse.Builder logs = FakeResponse.builder().setHeader("Content-Type", "text/plain");
        for (int i = 0; i < 30_000; i++) {
            logs.addChunk("log line " + i + "\n", Duration.ofMillis(20));
        }
        FakeDockerDaemon daemon = FakeDockerDaemon.onUnixSocket(Path.of(args[0]));
        daemon.setDispatcher(
                DockerEngineDispatcher.builder()
                        .route("GET", "/containers/{id}/logs", logs.keepStreamOpen().build())
                        .build());
        daemon.start();
        PrintWriter out =
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        out.println("listening " + daemon.dockerHost());
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("event ")) {
                out.println("pushed " + daemon.pushEvent(line.substring("event ".length())));
            } else if (line.startsWith("subscribers ")) {
                int n = Integer.parseInt(line.substring("subscribers ".length()).trim());
                try {
                    daemon.awaitEventSubscribers(n, Duration.ofMinutes(2));
                    out.println("subscribers ok");
                } catch (AssertionError e) {
                    out.println("subscribers timeout " + daemon.eventSubscriberCount());
                }
            } else {
                out.println("unknown command " + List.of(line));
            }
        }
        daemon.close();
        System.exit(0);
    }
}
