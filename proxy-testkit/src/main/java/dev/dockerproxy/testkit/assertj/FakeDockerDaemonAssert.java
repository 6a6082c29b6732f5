package dev.dockerproxy.testkit.assertj;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.RecordedRequest;
import dev.dockerproxy.testkit.internal.RouteTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the journal of a {@link FakeDockerDaemon}. Paths are canonical (no {@code /vX.Y}
 * prefix, decoded, no query) and may use {@code {name}} for one segment: {@code
 * /containers/{id}/json}. Every failure lists all requests that did reach the daemon, so you see
 * what happened instead of what did not.
 */
public final class FakeDockerDaemonAssert
        extends AbstractAssert<FakeDockerDaemonAssert, FakeDockerDaemon> {
    private static final Set<String> READS = Set.of("GET", "HEAD");

    FakeDockerDaemonAssert(FakeDockerDaemon daemon) {
        super(daemon, FakeDockerDaemonAssert.class);
    }

    /** Nothing but {@code GET} and {@code HEAD} requests reached the daemon. */
    public FakeDockerDaemonAssert receivedOnlyReads() {
        isNotNull();
        List<RecordedRequest> all = actual.requests();
        List<RecordedRequest> writes = new ArrayList<>();
        for (RecordedRequest r : all) {
            if (!READS.contains(r.method())) {
                writes.add(r);
            }
        }
        if (!writes.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected only reads (GET, HEAD) to reach "
                            + actual
                            + ", but "
                            + writes.size()
                            + (writes.size() == 1
                                    ? " request that is not a read did:"
                                    : " requests that are not reads did:")
                            + bullets(writes)
                            + journal(all, writes::contains));
        }
        return this;
    }

    /** At least one {@code method path} request reached the daemon. */
    public FakeDockerDaemonAssert received(String method, String path) {
        isNotNull();
        Expected expected = new Expected(method, path);
        List<RecordedRequest> all = actual.requests();
        if (all.stream().noneMatch(expected::matches)) {
            failWithMessage(
                    "%s",
                    "Expected "
                            + expected
                            + " to reach "
                            + actual
                            + ", but it never did."
                            + closest(all, expected)
                            + journal(all, r -> false));
        }
        return this;
    }

    /** No {@code method path} request reached the daemon. */
    public FakeDockerDaemonAssert neverReceived(String method, String path) {
        isNotNull();
        Expected expected = new Expected(method, path);
        List<RecordedRequest> all = actual.requests();
        List<RecordedRequest> hits = new ArrayList<>();
        for (RecordedRequest r : all) {
            if (expected.matches(r)) {
                hits.add(r);
            }
        }
        if (!hits.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected "
                            + expected
                            + " never to reach "
                            + actual
                            + ", but it did "
                            + (hits.size() == 1 ? "once:" : hits.size() + " times:")
                            + bullets(hits)
                            + journal(all, hits::contains));
        }
        return this;
    }

    /**
     * Exactly these requests reached the daemon, in this order, and nothing else. Each expectation
     * is {@code "METHOD /path"}, e.g. {@code receivedExactly("HEAD /_ping", "GET
     * /containers/json")}.
     */
    public FakeDockerDaemonAssert receivedExactly(String... methodAndPaths) {
        isNotNull();
        List<Expected> expected = new ArrayList<>();
        for (String mp : methodAndPaths) {
            expected.add(Expected.parse(mp));
        }
        List<RecordedRequest> all = actual.requests();
        int mismatch = -1;
        for (int i = 0; i < Math.max(expected.size(), all.size()); i++) {
            if (i >= expected.size() || i >= all.size() || !expected.get(i).matches(all.get(i))) {
                mismatch = i;
                break;
            }
        }
        if (mismatch >= 0) {
            StringBuilder msg =
                    new StringBuilder(
                            "Expected exactly these "
                                    + expected.size()
                                    + " request(s), in order, to reach "
                                    + actual
                                    + ":");
            for (int i = 0; i < expected.size(); i++) {
                msg.append("\n  ").append(i + 1).append(". ").append(expected.get(i));
            }
            msg.append("\nbut ");
            if (mismatch >= all.size()) {
                msg.append("only ")
                        .append(all.size())
                        .append(" did; missing from #")
                        .append(mismatch + 1)
                        .append(" on.");
            } else if (mismatch >= expected.size()) {
                msg.append("more did; unexpected from #")
                        .append(mismatch + 1)
                        .append(": ")
                        .append(all.get(mismatch));
            } else {
                msg.append("#")
                        .append(mismatch + 1)
                        .append(" was ")
                        .append(all.get(mismatch))
                        .append(" (expected ")
                        .append(expected.get(mismatch))
                        .append(").");
            }
            RecordedRequest first = mismatch < all.size() ? all.get(mismatch) : null;
            failWithMessage("%s", msg + journal(all, r -> r == first));
        }
        return this;
    }

    /** Nothing at all reached the daemon. */
    public FakeDockerDaemonAssert receivedNothing() {
        isNotNull();
        List<RecordedRequest> all = actual.requests();
        if (!all.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected no request to reach "
                            + actual
                            + ", but "
                            + all.size()
                            + " did."
                            + journal(all, r -> true));
        }
        return this;
    }

    /**
     * Every request found an answer (none got the daemon's {@code 404 page not found} for an
     * unknown route).
     */
    public FakeDockerDaemonAssert hasNoUnmatchedRequests() {
        isNotNull();
        List<RecordedRequest> unmatched = actual.unmatchedRequests();
        if (!unmatched.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected every request to "
                            + actual
                            + " to be answered, but nothing (queue or "
                            + "dispatcher) answered "
                            + unmatched.size()
                            + ":"
                            + bullets(unmatched)
                            + "\nEnqueue a response or add a route to the dispatcher for them."
                            + journal(actual.requests(), unmatched::contains));
        }
        return this;
    }

    private static String bullets(List<RecordedRequest> requests) {
        StringBuilder b = new StringBuilder();
        for (RecordedRequest r : requests) {
            b.append("\n  - ").append(r);
        }
        return b.toString();
    }

    /**
     * All requests, numbered, the interesting ones marked: what WireMock shows next to a failed
     * verification.
     */
    private static String journal(List<RecordedRequest> all, Predicate<RecordedRequest> mark) {
        if (all.isEmpty()) {
            return "\nNo request reached the daemon.";
        }
        StringBuilder b =
                new StringBuilder("\nRequests that reached the daemon (" + all.size() + "):");
        int i = 1;
        for (RecordedRequest r : all) {
            b.append("\n  ").append(i++).append(". ").append(r);
            if (mark.test(r)) {
                b.append("   <<<");
            }
            if (!r.problems().isEmpty()) {
                b.append("   (problems: ").append(String.join("; ", r.problems())).append(')');
            }
        }
        return b.toString();
    }

    private static String closest(List<RecordedRequest> all, Expected expected) {
        List<String> near = new ArrayList<>();
        for (RecordedRequest r : all) {
            if (expected.template.matches(r.path()) && !r.method().equals(expected.method)) {
                near.add(r + " (same path, method " + r.method() + ")");
            } else if (r.method().equals(expected.method)
                    && r.path().startsWith(expected.prefix())) {
                near.add(r + " (same method, path " + r.path() + ")");
            }
        }
        return near.isEmpty()
                ? ""
                : "\nClosest:" + near.stream().map(s -> "\n  ~ " + s).reduce("", String::concat);
    }

    private static final class Expected {
        final String method;
        final String path;
        final RouteTemplate template;

        Expected(String method, String path) {
            this.method = method.toUpperCase(Locale.ROOT);
            this.path = path;
            this.template = RouteTemplate.parse(path);
        }

        static Expected parse(String methodAndPath) {
            String[] parts = methodAndPath.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(
                        "expected \"METHOD /path\", e.g. \"GET /containers/json\"; was \""
                                + methodAndPath
                                + "\"");
            }
            return new Expected(parts[0], parts[1]);
        }

        boolean matches(RecordedRequest r) {
            return r.method().equals(method) && template.matches(r.path());
        }

        String prefix() {
            int brace = path.indexOf('{');
            String p = brace < 0 ? path : path.substring(0, brace);
            int slash = p.indexOf('/', 1);
            return slash < 0 ? p : p.substring(0, slash + 1);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
