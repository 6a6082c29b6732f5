package dev.dockerproxy.it.adversarial;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Judges what reached the daemon for one case. Two kinds of finding:
 *
 * <ul>
 *   <li>forbidden: a request reached the daemon that the policy, re-judged on exactly what the
 *       daemon received, denies; or that is not the canonical form of any allowed request line in
 *       the case's bytes (something the proxy made up or let through unparsed); or that the daemon
 *       decoded to a different path than the proxy decided on;
 *   <li>inexact: the expectation derived from the case (which requests arrive, in which order, with
 *       which method, target and body) differs from the journal.
 * </ul>
 */
final class JournalJudge {

    /**
     * Endpoints after which a pipelined request is not read (the response streams or the connection
     * is handed over).
     */
    private static final Set<String> ENDS_CONNECTION =
            Set.of(
                    "system.events",
                    "containers.stats",
                    "containers.logs",
                    "containers.attach",
                    "containers.attach.ws",
                    "exec.start",
                    "containers.wait",
                    "services.logs",
                    "tasks.logs",
                    "session",
                    "grpc");

    record Expected(String method, String target, String path, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + (body.length == 0 ? "" : " +" + body.length + "B body");
        }
    }

    record Verdict(List<String> forbidden, List<String> inexact, int arrivedExactly) {
        boolean ok() {
            return forbidden.isEmpty() && inexact.isEmpty();
        }
    }

    private JournalJudge() {}

    static Verdict judge(CorpusCase c, Policy policy, List<RecordedRequest> journal) {
        List<String> forbidden = new ArrayList<>();
        List<String> inexact = new ArrayList<>();
        List<String[]> candidates = ReferenceParser.requestLineCandidates(c.raw());
        for (RecordedRequest r : journal) {
            forbidden.addAll(securityFindings(policy, r, candidates));
        }
        int exact = 0;
        List<Expected> expected =
                switch (c.expect()) {
                    case "none" -> List.of();
                    case "auto" -> expectedOrNothing(policy, c, true);
                    case "first" -> expectedOrNothing(policy, c, false);
                    default -> null; // safe: the invariant only
                };
        if (expected != null) {
            if (journal.size() != expected.size()) {
                inexact.add(
                        "expected "
                                + expected.size()
                                + " request(s) at the daemon "
                                + expected
                                + ", got "
                                + journal.size()
                                + " "
                                + journal);
            }
            for (int i = 0; i < Math.min(expected.size(), journal.size()); i++) {
                Expected e = expected.get(i);
                RecordedRequest r = journal.get(i);
                if (!e.method().equals(r.method())
                        || !e.target().equals(r.target())
                        || !e.path().equals(r.path())
                        || !Arrays.equals(e.body(), r.body())
                        || !r.problems().isEmpty()) {
                    inexact.add(
                            "expected "
                                    + e
                                    + " (path "
                                    + e.path()
                                    + "), daemon got "
                                    + r
                                    + " (path "
                                    + r.path()
                                    + ", "
                                    + r.body().length
                                    + "B body, problems "
                                    + r.problems()
                                    + ")");
                } else {
                    exact++;
                }
            }
        }
        return new Verdict(forbidden, inexact, exact);
    }

    /** Invariant 1 and 2 for one request the daemon received. */
    static List<String> securityFindings(
            Policy policy, RecordedRequest r, List<String[]> candidates) {
        List<String> out = new ArrayList<>();
        Decision again = policy.decide(r.method(), r.target(), ClientIdentity.LOCAL);
        if (!again.allowed()) {
            out.add(
                    "FORBIDDEN REACHED THE DAEMON: "
                            + r
                            + " -> re-judged "
                            + again.status()
                            + " "
                            + again.message());
            return out;
        }
        if (!again.request().path().equals(r.path())) {
            out.add(
                    "daemon decoded "
                            + r
                            + " to path "
                            + r.path()
                            + " but the policy decides on "
                            + again.request().path());
        }
        boolean fromCase = false;
        for (String[] cand : candidates) {
            Decision d = policy.decide(cand[0], cand[1], ClientIdentity.LOCAL);
            if (d.allowed()
                    && d.request().method().equals(r.method())
                    && d.request().forwardTarget().equals(r.target())) {
                fromCase = true;
                break;
            }
        }
        if (!fromCase) {
            out.add(
                    "daemon got "
                            + r
                            + ", which is not the canonical form of any allowed request line in the case");
        }
        return out;
    }

    /** Bytes the strict reference parser refuses must not produce any request at the daemon. */
    private static List<Expected> expectedOrNothing(Policy policy, CorpusCase c, boolean all) {
        List<ReferenceParser.Request> requests;
        try {
            requests =
                    all
                            ? ReferenceParser.parseAll(c.raw())
                            : List.of(ReferenceParser.parseFirst(c.raw()));
        } catch (ReferenceParser.Unparseable | NumberFormatException e) {
            return List.of();
        }
        return expected(policy, requests);
    }

    /**
     * The model: requests are judged in order; a denial with a body, Connection: close or a stream
     * ends the connection.
     */
    static List<Expected> expected(Policy policy, List<ReferenceParser.Request> requests) {
        List<Expected> out = new ArrayList<>();
        for (ReferenceParser.Request q : requests) {
            Decision d = policy.decide(q.method(), q.target(), ClientIdentity.LOCAL);
            if (d.allowed()) {
                out.add(
                        new Expected(
                                d.request().method(),
                                d.request().forwardTarget(),
                                d.request().path(),
                                q.body()));
                if (ENDS_CONNECTION.contains(d.endpoint().id())) {
                    break;
                }
            } else if (q.hasBody()) {
                break;
            }
            if (q.closes()) {
                break;
            }
        }
        return out;
    }
}
