package dev.dockerproxy.testkit.internal;

import dev.dockerproxy.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Every request that reached the daemon, in arrival order. Thread-safe. */
public final class Journal {
    private final List<RecordedRequest> all = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final List<RecordedRequest> unmatched = new CopyOnWriteArrayList<>();
    private final List<Consumer<RecordedRequest>> listeners = new CopyOnWriteArrayList<>();

    public void record(RecordedRequest request) {
        all.add(request);
        untaken.add(request);
        for (Consumer<RecordedRequest> l : listeners) {
            l.accept(request);
        }
    }

    public void markUnmatched(RecordedRequest request) {
        unmatched.add(request);
    }

    public RecordedRequest take(Duration timeout) throws InterruptedException {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public List<RecordedRequest> all() {
        return List.copyOf(all);
    }

    public List<RecordedRequest> unmatched() {
        return List.copyOf(unmatched);
    }

    public void addListener(Consumer<RecordedRequest> listener) {
        listeners.add(listener);
    }

    public void clear() {
        all.clear();
        untaken.clear();
        unmatched.clear();
    }
}
