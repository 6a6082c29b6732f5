package dev.dockerproxy.testkit.internal;

import dev.dockerproxy.testkit.Dispatcher;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.RecordedRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state a daemon's connections share: journal, queue, dispatcher, event bus, errors.
 * Thread-safe.
 */
public final class DaemonCore {
    private final Journal journal = new Journal();
    private final ResponseQueue queue = new ResponseQueue();
    private final EventBus events = new EventBus();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Dispatcher dispatcher;

    public DaemonCore(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    public Journal journal() {
        return journal;
    }

    public ResponseQueue queue() {
        return queue;
    }

    public EventBus events() {
        return events;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public void dispatcher(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    public long nextSequenceNumber() {
        return sequence.getAndIncrement();
    }

    /**
     * Something went wrong on the daemon's side (a handler threw, a dispatcher failed, a request
     * was malformed).
     */
    public void error(String message) {
        errors.add(message);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public void clearErrors() {
        errors.clear();
    }

    /** Records {@code request} and picks its response: the queue first, then the dispatcher. */
    public FakeResponse answer(RecordedRequest request) throws InterruptedException {
        journal.record(request);
        FakeResponse queued = queue.poll(request);
        if (queued != null) {
            return queued;
        }
        Dispatcher d = dispatcher;
        FakeResponse response;
        try {
            response = d.dispatch(request);
        } catch (RuntimeException e) {
            error("dispatcher " + d + " threw for " + request + ": " + e);
            return FakeResponse.error(500, "fake docker daemon: dispatcher threw " + e);
        }
        if (response == null) {
            error("dispatcher " + d + " returned null for " + request);
            return FakeResponse.error(
                    500, "fake docker daemon: dispatcher returned null for " + request);
        }
        if (d.isUnmatched(response)) {
            journal.markUnmatched(request);
        }
        return response;
    }
}
