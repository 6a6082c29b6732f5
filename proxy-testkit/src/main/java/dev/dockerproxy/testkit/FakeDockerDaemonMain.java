package dev.dockerproxy.testkit;

import dev.dockerproxy.testkit.internal.JournalJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FakeDockerDaemon} on its own, for test suites in other languages:
 *
 * <pre>
 * java -jar fake-docker-daemon.jar [--listen unix:///tmp/x/docker.sock | tcp://127.0.0.1:0] [--journal FILE]
 * </pre>
 *
 * Prints one line, {@code fake-docker-daemon listening on ADDRESS}, then serves until killed
 * (SIGTERM or SIGINT close it cleanly). With {@code --journal}, each request is appended to FILE as
 * one JSON line as it arrives. Exit codes: 0 after a clean stop, 2 for a usage error, 3 when it
 * cannot listen.
 */
public final class FakeDockerDaemonMain {
    private FakeDockerDaemonMain() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        String listen = "unix://";
        Path journal = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(usage());
                return 0;
            }
            if ((a.equals("--listen") || a.equals("--journal")) && i + 1 == args.length) {
                err.println("fake-docker-daemon: " + a + " needs a value\n" + usage());
                return 2;
            }
            if (a.equals("--listen")) {
                listen = args[++i];
            } else if (a.startsWith("--listen=")) {
                listen = a.substring("--listen=".length());
            } else if (a.equals("--journal")) {
                journal = Path.of(args[++i]);
            } else if (a.startsWith("--journal=")) {
                journal = Path.of(a.substring("--journal=".length()));
            } else {
                err.println("fake-docker-daemon: unknown argument '" + a + "'\n" + usage());
                return 2;
            }
        }
        FakeDockerDaemon daemon;
        BufferedWriter journalWriter = null;
        try {
            daemon = FakeDockerDaemon.listeningOn(listen);
        } catch (IllegalArgumentException e) {
            err.println("fake-docker-daemon: --listen: " + e.getMessage());
            return 2;
        }
        try {
            if (journal != null) {
                journalWriter =
                        Files.newBufferedWriter(
                                journal,
                                StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                BufferedWriter w = journalWriter;
                daemon.addRequestListener(r -> appendLine(w, JournalJson.line(r)));
            }
            daemon.start();
        } catch (IOException e) {
            err.println("fake-docker-daemon: cannot listen on " + listen + ": " + e.getMessage());
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        BufferedWriter w = journalWriter;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    daemon.close();
                                    if (w != null) {
                                        try {
                                            w.close();
                                        } catch (IOException ignored) {
                                            // exiting anyway
                                        }
                                    }
                                    stopped.countDown();
                                },
                                "fake-docker-daemon-shutdown"));
        out.println("fake-docker-daemon listening on " + daemon.dockerHost());
        out.flush();
        stopped.await();
        return 0;
    }

    private static void appendLine(BufferedWriter w, String line) {
        synchronized (w) {
            try {
                w.write(line);
                w.newLine();
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String usage() {
        return "usage: java -jar fake-docker-daemon.jar [--listen unix:///PATH | unix:// | tcp://HOST:PORT] [--journal FILE]\n"
                + "  --listen   where to listen (default unix://, a fresh socket under /tmp); tcp://127.0.0.1:0 picks a free port\n"
                + "  --journal  append every request as one JSON line to FILE";
    }
}
