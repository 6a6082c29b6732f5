package dev.dockerproxy.server.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces read timeouts of client connections from one thread, so that the reads themselves can be
 * plain blocking reads.
 *
 * <p>A socket read with {@code SO_TIMEOUT} costs three system calls when it has to wait (a non-blocking
 * read that fails, {@code poll}, the read again) where a blocking read costs one; on a keep-alive
 * connection the wait for the next request is the common case. So reads block without a timeout, and
 * this sweeper shuts the input of a read that outlived its deadline down, which ends the blocked read;
 * the reader then reports a {@link java.net.SocketTimeoutException}.
 *
 * <p>The sweeper sleeps until the earliest deadline of the reads in flight (at most {@link #MAX_SLEEP}),
 * so a timeout fires on time, and it does not run at all while no connection is registered. A read that
 * registers a deadline earlier than the sweeper's next wake-up wakes it.
 */
public final class ReadDeadlines implements AutoCloseable {

    /** A read that may time out. */
    public interface Timed {
        /** The deadline of the read in flight ({@link System#nanoTime()}), or 0 when none is in flight. */
        long expiresAt();

        /** Ends the read in flight: it has passed its deadline. */
        void expire();

        /** Whether the connection is finished (it is then forgotten). */
        boolean finished();
    }

    static final long MAX_SLEEP = TimeUnit.SECONDS.toNanos(1);
    private static final long SCANNING = Long.MIN_VALUE;

    private final Set<Timed> reads = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private final Object idle = new Object();
    private volatile long plannedWake = SCANNING;
    private volatile boolean closed;

    public ReadDeadlines(String threadName) {
        sweeper = new Thread(this::run, threadName);
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** Registers a read source; idempotent. It stays registered until {@link Timed#finished()}. */
    public void register(Timed timed) {
        if (reads.add(timed)) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Called after a read's deadline was set: wakes the sweeper if it would wake up too late. */
    public void deadlineSet(long expiresAt) {
        long planned = plannedWake;
        if (planned == SCANNING || expiresAt - planned < 0) {
            LockSupport.unpark(sweeper);
        }
    }

    private void run() {
        while (!closed) {
            if (reads.isEmpty()) {
                synchronized (idle) {
                    while (reads.isEmpty() && !closed) {
                        try {
                            idle.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                continue;
            }
            plannedWake = SCANNING;
            long now = System.nanoTime();
            long next = now + MAX_SLEEP;
            for (Timed t : reads) {
                if (t.finished()) {
                    reads.remove(t);
                    continue;
                }
                long e = t.expiresAt();
                if (e == 0) {
                    continue;
                }
                if (e - now <= 0) {
                    t.expire();
                } else if (e - next < 0) {
                    next = e;
                }
            }
            plannedWake = next;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(this, sleep);
            }
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /** Stops the sweeper. */
    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
    }
}
