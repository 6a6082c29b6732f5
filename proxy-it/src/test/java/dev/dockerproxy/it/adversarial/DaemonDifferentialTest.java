package dev.dockerproxy.it.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testsupport.DockerCli;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every single-request corpus case that a read-only policy lets through is sent, byte for byte as
 * the client wrote it, straight to the real Docker Engine: the daemon must route it to the endpoint
 * the proxy classified (no 404 "page not found", no 301 redirect to a cleaned path, no 405), and a
 * 200 must have the endpoint's media type. Only side-effect-free reads are sent (GET/HEAD of access
 * class read); nothing any policy denies is ever sent to the engine.
 */
@RequiresDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonDifferentialTest {

    /**
     * The placeholder container of the corpus, created for real so that inspect, top and stats
     * reach an object.
     */
    static final String CONTAINER = "adv";

    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    DockerEngine engine;
    DockerCli direct;
    long started;

    record Probe(CorpusCase c, Decision decision, List<String> policies) {}

    @BeforeAll
    void createPlaceholderContainer(DockerEngine engine, DockerCli direct) {
        started = System.nanoTime();
        AdversarialReport.touch();
        this.engine = engine;
        this.direct = direct;
        direct.run("rm", "-f", CONTAINER);
        direct.run(
                        "create",
                        "--name",
                        CONTAINER,
                        "--network=none",
                        "--pull=never",
                        DockerEngine.BUSYBOX,
                        "sleep",
                        "600")
                .requireSuccess();
        direct.run("start", CONTAINER).requireSuccess();
    }

    @AfterAll
    void removePlaceholderContainer() {
        try {
            if (direct != null) {
                direct.run("rm", "-f", CONTAINER);
            }
        } finally {
            AdversarialReport.diffTime = Duration.ofNanos(System.nanoTime() - started);
            AdversarialReport.write(false);
        }
    }

    /**
     * The allowed single-request cases, once per distinct byte sequence, with the policies that
     * allow them.
     */
    static List<Probe> probes() {
        Map<String, Probe> out = new LinkedHashMap<>();
        for (CorpusCase c : Corpus.load()) {
            List<ReferenceParser.Request> requests;
            try {
                requests = ReferenceParser.parseAll(c.raw());
            } catch (RuntimeException e) {
                continue; // not a single well-formed request: the proxy refuses it, nothing to
                // compare
            }
            if (requests.size() != 1) {
                continue;
            }
            ReferenceParser.Request q = requests.get(0);
            for (Map.Entry<String, Policy> p : AdversarialPolicies.readOnly().entrySet()) {
                Decision d = p.getValue().decide(q.method(), q.target(), ClientIdentity.LOCAL);
                if (!d.allowed()
                        || !SAFE_METHODS.contains(d.request().method())
                        || d.endpoint().access() != dev.dockerproxy.policy.AccessClass.READ) {
                    continue;
                }
                Probe probe =
                        out.computeIfAbsent(
                                Escapes.latin1(c.raw()), k -> new Probe(c, d, new ArrayList<>()));
                assertThat(probe.decision().endpointId())
                        .as("same classification under every policy for %s", c)
                        .isEqualTo(d.endpointId());
                probe.policies().add(p.getKey());
            }
        }
        return List.copyOf(out.values());
    }

    @TestFactory
    Stream<DynamicTest>
            everyRequestTheProxyAllowsIsRoutedByTheDaemonToTheEndpointTheProxyClassified() {
        List<Probe> probes = probes();
        assertThat(probes).hasSizeGreaterThan(50);
        return probes.stream()
                .map(
                        p ->
                                DynamicTest.dynamicTest(
                                        p.c() + " as " + p.decision().endpointId(),
                                        () -> compare(p)));
    }

    private void compare(Probe p) throws Exception {
        RawClient.Exchange r =
                RawClient.exchange(
                        RawClient.unixAddress(engine.socketPath()),
                        p.c().raw(),
                        false,
                        15_000,
                        1 << 16,
                        true);
        String text = r.text();
        int status = r.firstStatus();
        String head =
                text.contains("\r\n\r\n") ? text.substring(0, text.indexOf("\r\n\r\n")) : text;
        String body = text.length() > head.length() + 4 ? text.substring(head.length() + 4) : "";
        String id = p.decision().endpointId();
        AdversarialReport.diffSent.incrementAndGet();
        AdversarialReport.diffByEndpoint
                .computeIfAbsent(id + " " + status, k -> new AtomicLong())
                .incrementAndGet();
        List<String> problems = new ArrayList<>();
        if (status < 0) {
            problems.add("no HTTP response" + (r.timedOut() ? " within 15 s" : ""));
        } else if (status == 404 && body.contains("page not found")) {
            problems.add("the daemon has no such route (404 page not found)");
        } else if (status == 301 || status == 307 || status == 308) {
            problems.add("the daemon redirects to a cleaned path (" + status + ")");
        } else if (status == 405) {
            problems.add("the daemon does not allow this method on the route (405)");
        } else if (status == 200 && !"HEAD".equals(p.decision().request().method())) {
            String type = header(head, "content-type");
            String want = id.startsWith("system.ping") ? "text/plain" : "application/json";
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(want)) {
                problems.add("200 with Content-Type " + type + ", but " + id + " answers " + want);
            }
        }
        if (problems.isEmpty()) {
            AdversarialReport.diffAgreed.incrementAndGet();
        } else {
            AdversarialReport.diffDisagreed.incrementAndGet();
            problems.forEach(
                    x ->
                            AdversarialReport.findings.add(
                                    "differential "
                                            + p.c()
                                            + " (proxy: "
                                            + id
                                            + ", allowed by "
                                            + p.policies()
                                            + "): "
                                            + x));
        }
        assertThat(problems)
                .as(
                        "the real daemon's answer to %s (the proxy allows it as %s under %s; sent %s): %s",
                        p.c(),
                        id,
                        p.policies(),
                        Escapes.show(p.c().raw(), 300),
                        Escapes.show(r.bytes(), 400))
                .isEmpty();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
