package dev.dockerproxy.testkit.internal;

import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Responses enqueued by the test, each served once, to any request or to one method and path.
 * Thread-safe.
 */
public final class ResponseQueue {
    private static final class Entry {
        final String method;
        final RouteTemplate path;
        final FakeResponse response;

        Entry(String method, RouteTemplate path, FakeResponse response) {
            this.method = method;
            this.path = path;
            this.response = response;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public synchronized void add(FakeResponse response) {
        entries.add(new Entry(null, null, response));
    }

    public synchronized void add(String method, String path, FakeResponse response) {
        entries.add(new Entry(method, RouteTemplate.parse(path), response));
    }

    /** Removes and returns the first entry that fits {@code request}, or {@code null}. */
    public synchronized FakeResponse poll(RecordedRequest request) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.method == null
                    || (e.method.equals(request.method()) && e.path.matches(request.path()))) {
                it.remove();
                return e.response;
            }
        }
        return null;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
