package dev.dockerproxy.it.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testkit.RecordedRequest;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs every corpus case through the real proxy in front of the test kit's recording daemon, under
 * several policies, over TCP (and UNIX for the mission's policy), and judges each case by what
 * reached the daemon, not by the status code the client saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {

    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    static final long MAX_BODY = 1024 * 1024;
    static final long READ_DEADLINE_MS = 4_000;

    final List<CorpusCase> cases = Corpus.load();
    final Map<String, ProxyRig> rigs = new LinkedHashMap<>();
    long started;

    @BeforeAll
    void startRigs() throws Exception {
        started = System.nanoTime();
        AdversarialReport.touch();
        for (Map.Entry<String, Policy> e : AdversarialPolicies.all().entrySet()) {
            rigs.put(e.getKey(), new ProxyRig(e.getValue(), HEADER_TIMEOUT, MAX_BODY));
        }
        AdversarialReport.corpusPolicies = String.join(", ", rigs.keySet());
        AdversarialReport.casesPerCategory.clear();
        cases.forEach(c -> AdversarialReport.casesPerCategory.merge(c.category(), 1, Integer::sum));
    }

    @AfterAll
    void stopRigs() {
        try {
            // the whole journal once more: a request that arrived late (after its case was judged)
            // is caught here
            for (Map.Entry<String, ProxyRig> e : rigs.entrySet()) {
                Policy p = e.getValue().policy;
                List<String> late = new ArrayList<>();
                for (RecordedRequest r : e.getValue().daemon.requests()) {
                    Decision d = p.decide(r.method(), r.target(), ClientIdentity.LOCAL);
                    if (!d.allowed()) {
                        late.add(r + " -> " + d.message());
                    }
                }
                assertThat(late)
                        .as("forbidden requests in the whole journal of %s", e.getKey())
                        .isEmpty();
            }
        } finally {
            rigs.values().forEach(ProxyRig::close);
            AdversarialReport.corpusTime = Duration.ofNanos(System.nanoTime() - started);
            AdversarialReport.write(false);
        }
    }

    @Test
    void corpusHasAtLeast300CasesCoveringEveryCategory() {
        Map<String, Long> perCategory =
                cases.stream()
                        .collect(
                                Collectors.groupingBy(
                                        CorpusCase::category, TreeMap::new, Collectors.counting()));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
        assertThat(perCategory.keySet())
                .contains(
                        "encoding",
                        "path-shape",
                        "case",
                        "target-form",
                        "version",
                        "method",
                        "sensitive-get",
                        "exec",
                        "slash-names",
                        "pipelining",
                        "framing",
                        "chunk-tricks",
                        "upgrade",
                        "expect",
                        "oversize");
        assertThat(perCategory.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(9));
    }

    @TestFactory
    Stream<DynamicContainer> noForbiddenRequestReachesTheDaemonAndAllowedOnesArriveExactly() {
        return rigs.entrySet().stream()
                .flatMap(
                        e -> {
                            List<DynamicContainer> out = new ArrayList<>();
                            out.add(container(e.getKey(), e.getValue(), false));
                            if (e.getKey().equals("mission-env")) {
                                out.add(container(e.getKey(), e.getValue(), true));
                            }
                            return out.stream();
                        });
    }

    private DynamicContainer container(String policyName, ProxyRig rig, boolean unix) {
        String transport = unix ? "unix" : "tcp";
        return DynamicContainer.dynamicContainer(
                policyName + " over " + transport,
                cases.stream()
                        .map(
                                c ->
                                        DynamicTest.dynamicTest(
                                                c + " [" + policyName + ", " + transport + "]",
                                                () ->
                                                        runCase(
                                                                c,
                                                                rig,
                                                                unix,
                                                                policyName + "/" + transport))));
    }

    static void runCase(CorpusCase c, ProxyRig rig, boolean unix, String where) throws Exception {
        int journalStart = rig.daemon.requestCount();
        long before = rig.connectionsOpened(unix);
        RawClient.Exchange res =
                RawClient.exchange(
                        rig.address(unix), c.raw(), true, READ_DEADLINE_MS, 4 << 20, false);
        boolean quiet = rig.awaitQuiet(unix, before + 1, Duration.ofSeconds(10));
        List<RecordedRequest> got = List.copyOf(rig.journalFrom(journalStart));
        JournalJudge.Verdict v = JournalJudge.judge(c, rig.policy, got);
        AdversarialReport.corpusRuns.incrementAndGet();
        AdversarialReport.daemonRequests.addAndGet(got.size());
        AdversarialReport.arrivedExactly.addAndGet(v.arrivedExactly());
        AdversarialReport.status(
                res.firstStatus() < 0
                        ? (res.timedOut() ? "timeout" : "none")
                        : Integer.toString(res.firstStatus()));
        if (res.firstStatus() < 0) {
            AdversarialReport.unanswered.add(c.toString());
        }
        long forbiddenNow = v.forbidden().stream().filter(f -> f.startsWith("FORBIDDEN")).count();
        AdversarialReport.forbiddenReached.addAndGet(forbiddenNow);
        AdversarialReport.inexact.addAndGet(v.inexact().size());
        String context =
                c
                        + " ("
                        + c.source()
                        + ") under "
                        + where
                        + "\n  sent: "
                        + Escapes.show(c.raw(), 600)
                        + "\n  proxy answered: "
                        + Escapes.show(res.bytes(), 300)
                        + (res.timedOut() ? " [read deadline]" : "");
        if (!v.ok()) {
            v.forbidden()
                    .forEach(f -> AdversarialReport.findings.add(c + " [" + where + "]: " + f));
            v.inexact().forEach(f -> AdversarialReport.findings.add(c + " [" + where + "]: " + f));
        }
        assertThat(v.forbidden())
                .as("forbidden/unexpected requests at the daemon for %s", context)
                .isEmpty();
        assertThat(v.inexact())
                .as("what reached the daemon differs from the expectation for %s", context)
                .isEmpty();
        assertThat(quiet)
                .as("the proxy finished with the connection within 10 s for %s", context)
                .isTrue();
    }
}
