package dev.dockerproxy.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition with a deadline: tests poll, they never sleep a fixed time to wait.
 *
 * <pre>{@code
 * Poll.until(Duration.ofSeconds(5), "the stream to close", () -> daemon.eventSubscriberCount() == 0);
 * }</pre>
 */
public final class Poll {

    /** The pause between two looks. */
    public static final Duration INTERVAL = Duration.ofMillis(10);

    private Poll() {}

    /**
     * Polls {@code condition} until it holds; fails after {@code within}, saying what was awaited.
     */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        until(within, () -> what, condition);
    }

    /**
     * As {@link #until(Duration, String, BooleanSupplier)}; {@code what} is asked for only on
     * failure.
     */
    public static void until(Duration within, Supplier<String> what, BooleanSupplier condition) {
        if (!eventually(within, condition)) {
            throw new AssertionError("waited " + within + " for " + what.get());
        }
    }

    /** Polls {@code condition} until it holds or {@code within} passes; returns whether it held. */
    public static boolean eventually(Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return condition.getAsBoolean();
            }
            pause();
        }
        return true;
    }

    /** One pause of {@link #INTERVAL} inside a polling loop; an interrupt fails the test. */
    public static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
