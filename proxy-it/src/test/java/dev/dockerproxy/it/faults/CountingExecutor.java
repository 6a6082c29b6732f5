package dev.dockerproxy.it.faults;

import dev.dockerproxy.server.internal.Threads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's own automatic executor (virtual threads on 21+, platform threads on 17), counting the
 * connection tasks that are running. Virtual threads do not show in {@code
 * Thread.getAllStackTraces()} or the ThreadMXBean, so the leak checks count tasks here as well as
 * platform threads there.
 */
final class CountingExecutor implements Executor, AutoCloseable {

    private final ExecutorService delegate = Threads.newConnectionExecutor();
    private final AtomicInteger live = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
        live.incrementAndGet();
        try {
            delegate.execute(
                    () -> {
                        try {
                            task.run();
                        } finally {
                            live.decrementAndGet();
                        }
                    });
        } catch (RuntimeException e) {
            live.decrementAndGet();
            throw e;
        }
    }

    /** Connection and helper tasks (stream watchers, tunnel directions) running now. */
    int liveTasks() {
        return live.get();
    }

    @Override
    public void close() {
        delegate.shutdownNow();
    }
}
