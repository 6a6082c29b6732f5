package dev.dockerproxy.server.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces read timeouts of client connections with sweeps on the proxy's timer, so that the reads
 * themselves can be plain blocking reads.
 *
 * <p>A socket read with {@code SO_TIMEOUT} costs three system calls when it has to wait (a
 * non-blocking read that fails, {@code poll}, the read again) where a blocking read costs one; on a
 * keep-alive connection the wait for the next request is the common case. So reads block without a
 * timeout, and a sweep shuts the input of a read that outlived its deadline down, which ends the
 * blocked read; the reader then reports a {@link java.net.SocketTimeoutException}.
 *
 * <p>While reads are registered, one sweep is planned at the earliest deadline of the reads in
 * flight (at most {@link #MAX_SLEEP} ahead), so a timeout fires on time; none is planned while no
 * connection is registered. A read whose deadline is earlier than the planned sweep plans an
 * earlier one; the usual deadlines (the idle and head timeouts, seconds to minutes) are later, so a
 * read schedules nothing.
 */
public final class ReadDeadlines implements AutoCloseable {

    /** A read that may time out. */
    public interface Timed {
        /**
         * The deadline of the read in flight ({@link System#nanoTime()}), or 0 when none is in
         * flight.
         */
        long expiresAt();

        /** Ends the read in flight: it has passed its deadline. */
        void expire();

        /** Whether the connection is finished (it is then forgotten). */
        boolean finished();
    }

    static final long MAX_SLEEP = TimeUnit.SECONDS.toNanos(1);

    /** {@link #plannedSweep} when no sweep is planned. */
    private static final long NONE = Long.MIN_VALUE;

    private final ScheduledExecutorService timer;
    private final Set<Timed> reads = ConcurrentHashMap.newKeySet();
    private final AtomicLong plannedSweep = new AtomicLong(NONE);
    private volatile boolean closed;

    /**
     * @param timer the proxy's timer; sweeps are quick tasks on it
     */
    public ReadDeadlines(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Registers a read source; idempotent. It stays registered until {@link Timed#finished()}. */
    public void register(Timed timed) {
        if (reads.add(timed)) {
            planSweep(System.nanoTime() + MAX_SLEEP);
        }
    }

    /**
     * Called after a read's deadline was set: plans an earlier sweep if the planned one would come
     * too late.
     */
    public void deadlineSet(long expiresAt) {
        planSweep(expiresAt);
    }

    /** Makes sure a sweep runs no later than {@code at} ({@link System#nanoTime()}). */
    private void planSweep(long at) {
        while (!closed) {
            long planned = plannedSweep.get();
            if (planned != NONE && planned - at <= 0) {
                return;
            }
            if (plannedSweep.compareAndSet(planned, at)) {
                try {
                    timer.schedule(
                            this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopped) {
                    closed = true;
                }
                return;
            }
        }
    }

    private void sweep() {
        plannedSweep.set(NONE); // from here on, a new deadline plans a sweep of its own
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
        if (!reads.isEmpty()) {
            planSweep(next);
        }
    }

    /** Plans no more sweeps (the timer itself belongs to the proxy). */
    @Override
    public void close() {
        closed = true;
    }
}
