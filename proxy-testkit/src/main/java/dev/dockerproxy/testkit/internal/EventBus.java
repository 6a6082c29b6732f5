package dev.dockerproxy.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Fans pushed events out to the open {@code /events} streams. Thread-safe. */
public final class EventBus {
    private static final String CLOSED = new String("<closed>");

    /** One open event stream. */
    public final class Subscription {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        /** The next event, or {@code null} once the stream is cancelled or the bus closed. */
        public String next() throws InterruptedException {
            String e = queue.take();
            if (e == CLOSED) {
                queue.offer(CLOSED);
                return null;
            }
            return e;
        }

        /** Ends this stream: {@link #next()} returns {@code null} from now on. */
        public void cancel() {
            synchronized (EventBus.this) {
                if (subscriptions.remove(this)) {
                    EventBus.this.notifyAll();
                }
            }
            queue.offer(CLOSED);
        }
    }

    private final List<Subscription> subscriptions = new ArrayList<>();
    private boolean closed;

    /** Opens a stream; a closed bus hands out streams that are already over. */
    public synchronized Subscription subscribe() {
        Subscription s = new Subscription();
        if (closed) {
            s.queue.offer(CLOSED);
        } else {
            subscriptions.add(s);
            notifyAll();
        }
        return s;
    }

    /** Delivers {@code event} to every open stream; returns how many got it. */
    public synchronized int publish(String event) {
        for (Subscription s : subscriptions) {
            s.queue.offer(event);
        }
        return subscriptions.size();
    }

    /** How many streams are open. */
    public synchronized int subscriberCount() {
        return subscriptions.size();
    }

    /**
     * Waits until at least {@code n} streams are open; returns whether they were within {@code
     * timeout}.
     */
    public synchronized boolean awaitSubscribers(int n, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscriptions.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Ends every stream, now and later. */
    public void close() {
        List<Subscription> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(subscriptions);
        }
        all.forEach(Subscription::cancel);
    }
}
