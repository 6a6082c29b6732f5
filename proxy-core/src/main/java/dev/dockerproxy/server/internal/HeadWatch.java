package dev.dockerproxy.server.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts watching the client for a hang-up when the daemon takes longer than a short delay to send
 * a response head (a {@code wait}, a long build, a one-shot stats), so the daemon connection is
 * released as soon as the client goes away.
 *
 * <p>One timer task per connection at most, re-armed only while a head is awaited, instead of one
 * scheduled and cancelled task per request: scheduling wakes the timer thread and cancelling takes
 * its lock, a measurable cost on a busy keep-alive connection. {@link #begin()} and {@link #end()}
 * are called by the connection thread; the check runs on the proxy's timer thread.
 */
final class HeadWatch {

    private final ServerContext ctx;
    private final long delayNanos;
    private final Runnable startWatching;
    private final AtomicBoolean armed = new AtomicBoolean();

    /**
     * When the current wait for a head began ({@link System#nanoTime()}), or 0 when none is
     * awaited.
     */
    private volatile long waitingSince;

    HeadWatch(ServerContext ctx, long delayMillis, Runnable startWatching) {
        this.ctx = ctx;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.startWatching = startWatching;
    }

    /** A request was sent; its response head is now awaited. */
    void begin() {
        long now = System.nanoTime();
        waitingSince = now == 0 ? 1 : now;
        arm(delayNanos);
    }

    /** The head arrived (or the exchange failed). */
    void end() {
        waitingSince = 0;
    }

    private void arm(long delay) {
        if (armed.compareAndSet(false, true)
                && ctx.schedule(this::check, Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay) + 1))
                        == null) {
            armed.set(false); // the proxy is closing
        }
    }

    private void check() {
        armed.set(false); // before reading waitingSince: a begin() after this line arms anew
        long since = waitingSince;
        if (since == 0) {
            return;
        }
        long left = delayNanos - (System.nanoTime() - since);
        if (left <= 0) {
            startWatching.run();
        } else {
            arm(left);
        }
    }
}
