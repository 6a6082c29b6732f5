package dev.dockerproxy.it.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testkit.RecordedRequest;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated hostile requests through the real server, one connection per case, while a well-behaved
 * client is served on another connection. Per case: the proxy closes the connection within twice
 * its header timeout, answers no 5xx of its own, and nothing the policy denies reaches the daemon.
 * At least 10,000 cases by default; {@code -Ddockerproxy.fuzz.tries=200000} for the long profile
 * (applies to each property).
 */
class ProxyFuzzPropertiesTest {

    static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
    static final long CASE_LIMIT_MS = 2 * HEADER_TIMEOUT.toMillis();

    static ProxyRig missionRig;
    static ProxyRig denyAllRig;
    static WellBehavedClient missionPinger;
    static final AtomicLong[] stats = {
        new AtomicLong(), new AtomicLong(), new AtomicLong()
    }; // cases, forwarded, slowest
    static final AtomicLong[] denyStats = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    static long t0;
    static long t1;

    @BeforeContainer
    static void start() throws Exception {
        AdversarialReport.touch();
        missionRig =
                new ProxyRig(
                        AdversarialPolicies.all().get("mission-env"), HEADER_TIMEOUT, 64 * 1024);
        denyAllRig = new ProxyRig(Policy.denyAll(), HEADER_TIMEOUT, 64 * 1024);
        missionPinger = new WellBehavedClient(missionRig.address(true), CASE_LIMIT_MS);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            missionPinger.close();
            for (ProxyRig rig : List.of(missionRig, denyAllRig)) {
                for (RecordedRequest r : rig.daemon.requests()) {
                    Decision d = rig.policy.decide(r.method(), r.target(), ClientIdentity.LOCAL);
                    if (!d.allowed()) {
                        AdversarialReport.forbiddenReached.incrementAndGet();
                        AdversarialReport.findings.add(
                                "fuzz: FORBIDDEN REACHED THE DAEMON (late): " + r);
                    }
                }
            }
        } finally {
            missionRig.close();
            denyAllRig.close();
            AdversarialReport.write(false);
        }
    }

    @Provide
    Arbitrary<FuzzRequests.FuzzCase> hostile() {
        return FuzzRequests.cases();
    }

    @AddLifecycleHook(FuzzTries.class)
    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED, seed = "")
    void missionPolicyNeverForwardsADeniedRequestNeverHangsAndKeepsServingOthers(
            @ForAll("hostile") FuzzRequests.FuzzCase c) throws Exception {
        if (stats[0].get() == 0) {
            t0 = System.nanoTime();
        }
        runCase(missionRig, c, stats);
        assertThat(missionPinger.failure())
                .as("the well-behaved client on another connection")
                .isNull();
        report("mission-env", stats, missionPinger.answered(), t0);
    }

    /**
     * Found by the fuzzer in CI: an allowed request whose declared body never arrives is not cut by
     * a timer.
     */
    @net.jqwik.api.Example
    void anAllowedRequestWhoseBodyNeverArrivesIsHeldUntilTheClientHangsUp() throws Exception {
        runCase(
                missionRig,
                new FuzzRequests.FuzzCase(
                        "GET /_ping HTTP/1.1\r\nContent-Length: 2\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                        false),
                new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong()});
    }

    @AddLifecycleHook(FuzzTries.class)
    @Property(tries = 2_000, shrinking = ShrinkingMode.BOUNDED)
    void denyAllForwardsNothingWhateverArrives(@ForAll("hostile") FuzzRequests.FuzzCase c)
            throws Exception {
        if (denyStats[0].get() == 0) {
            t1 = System.nanoTime();
        }
        runCase(denyAllRig, c, denyStats);
        assertThat(denyAllRig.daemon.requestCount()).as("requests at a deny-all daemon").isZero();
        report("deny-all", denyStats, 0, t1);
    }

    private static void report(String name, AtomicLong[] s, long pings, long start) {
        AdversarialReport.fuzz.put(name, new long[] {s[0].get(), s[1].get(), pings, s[2].get()});
        AdversarialReport.fuzzTime.put(name, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void runCase(ProxyRig rig, FuzzRequests.FuzzCase c, AtomicLong[] s)
            throws Exception {
        int journalStart = rig.daemon.requestCount();
        long before = rig.connectionsOpened(false);
        long allowedBefore = rig.allowedDecisions(false);
        long started = System.nanoTime();
        // the client reads until the proxy closes; without a half-close the proxy's own timeouts
        // must end it
        RawClient.Exchange res =
                RawClient.exchange(
                        rig.address(false), c.raw(), c.halfClose(), CASE_LIMIT_MS, 1 << 20, false);
        boolean streaming = false;
        if (res.timedOut()
                && (rig.allowedDecisions(false) > allowedBefore
                        || rig.journalFrom(journalStart).stream()
                                .anyMatch(
                                        r ->
                                                !FuzzRequests.WELL_BEHAVED_AGENT.equals(
                                                        r.header("User-Agent"))))) {
            // an allowed request is streaming (a body the client never finished, or a response such
            // as
            // /events): by design no idle timer cuts it; the client now hangs up, the proxy must
            // let go
            streaming = true;
        }
        // RawClient has closed the socket by now; the proxy must release the connection promptly
        boolean quiet = rig.awaitQuiet(false, before + 1, Duration.ofMillis(CASE_LIMIT_MS));
        long millis = (System.nanoTime() - started) / 1_000_000;
        s[0].incrementAndGet();
        s[2].accumulateAndGet(millis, Math::max);
        List<String> findings = new ArrayList<>();
        List<String[]> candidates = ReferenceParser.requestLineCandidates(c.raw());
        for (RecordedRequest r : rig.journalFrom(journalStart)) {
            if (FuzzRequests.WELL_BEHAVED_AGENT.equals(r.header("User-Agent"))) {
                continue;
            }
            s[1].incrementAndGet();
            findings.addAll(JournalJudge.securityFindings(rig.policy, r, candidates));
        }
        long forbidden = findings.stream().filter(f -> f.startsWith("FORBIDDEN")).count();
        AdversarialReport.forbiddenReached.addAndGet(forbidden);
        findings.forEach(
                f ->
                        AdversarialReport.findings.add(
                                "fuzz " + rig.policy.name() + ": " + f + " <- " + c));
        assertThat(findings).as("what reached the daemon for %s", c).isEmpty();
        assertThat(quiet && (streaming || !res.timedOut()))
                .as(
                        "proxy ended the connection within %d ms (took %d ms, %s) for %s",
                        CASE_LIMIT_MS, millis, Escapes.show(res.bytes(), 200), c)
                .isTrue();
        int status = res.firstStatus();
        assertThat(status == 500 || status == 502 || status == 503)
                .as("proxy answered %d for %s", status, c)
                .isFalse();
        assertThat(rig.proxy.isRunning()).isTrue();
    }
}
