package dev.dockerproxy.it.faults;

import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.testsupport.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts what a leak would leave behind: the proxy's running tasks and open connections, the
 * platform threads of the proxy and of the in-process daemons, and this process's open file
 * descriptors ({@code /proc/self/fd}). {@link #awaitBack} polls, with a deadline, until the counts
 * are back at a baseline within a small tolerance (descriptors: the JDK opens a few lazily;
 * threads: pooled platform threads linger up to their keep-alive, which is why the pool is not
 * counted).
 */
final class LeakProbe {

    static final int FD_TOLERANCE = 8;
    static final int THREAD_TOLERANCE = 2;
    private static final List<String> THREAD_PREFIXES =
            List.of("docker-proxy-", "fake-docker-daemon-", "fake-upstream-");

    record Snapshot(int tasks, int proxyConnections, int threads, int fds) {
        @Override
        public String toString() {
            return "tasks="
                    + tasks
                    + ", connections="
                    + proxyConnections
                    + ", threads="
                    + threads
                    + ", fds="
                    + fds;
        }
    }

    private final CountingExecutor executor;
    private final DockerSocketProxy proxy;
    private final RawDaemon daemon;

    LeakProbe(CountingExecutor executor, DockerSocketProxy proxy, RawDaemon daemon) {
        this.executor = executor;
        this.proxy = proxy;
        this.daemon = daemon;
    }

    Snapshot take() {
        return new Snapshot(
                executor.liveTasks(), proxy.activeConnections(), namedThreads(), openFds());
    }

    /**
     * Waits until no connection task runs and no connection is open, then returns the counts as a
     * baseline.
     */
    Snapshot settledBaseline(Duration timeout) throws InterruptedException {
        Snapshot now = take();
        return awaitBack("baseline", new Snapshot(0, 0, now.threads, now.fds), timeout, false);
    }

    /**
     * Waits until tasks and connections are back to the baseline exactly, threads and fds within
     * tolerance.
     */
    Snapshot awaitBack(String scenario, Snapshot baseline, Duration timeout)
            throws InterruptedException {
        return awaitBack(scenario, baseline, timeout, true);
    }

    private Snapshot awaitBack(String scenario, Snapshot baseline, Duration timeout, boolean report)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Snapshot now = take();
        while (!within(baseline, now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        scenario
                                + ": leak; not back to the baseline within "
                                + timeout
                                + ": baseline "
                                + baseline
                                + ", now "
                                + now
                                + (daemon == null
                                        ? ""
                                        : ", daemon connections open " + daemon.openConnections())
                                + "\nthreads: "
                                + threadNames());
            }
            Poll.pause();
            now = take();
        }
        if (report) {
            FaultsReport.leakCheck(scenario, baseline + " → " + now);
        }
        return now;
    }

    private static boolean within(Snapshot base, Snapshot now) {
        return now.tasks <= base.tasks
                && now.proxyConnections <= base.proxyConnections
                && now.threads <= base.threads + THREAD_TOLERANCE
                && now.fds <= base.fds + FD_TOLERANCE;
    }

    static int namedThreads() {
        return (int)
                Thread.getAllStackTraces().keySet().stream()
                        .filter(
                                t ->
                                        t.isAlive()
                                                && THREAD_PREFIXES.stream()
                                                        .anyMatch(p -> t.getName().startsWith(p))
                                                && !t.getName().startsWith("docker-proxy-timer-")
                                                && !t.getName().startsWith("docker-proxy-conn-"))
                        .count();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
    }

    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The soft limit on open files of this process, from {@code /proc/self/limits}. */
    static long maxOpenFiles() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** Heap in use after a full collection (a few, to let reference processing settle). */
    static long heapUsedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used =
                    Math.min(
                            used,
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
