package dev.dockerproxy.cli.verify;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Runs a probe plan against a target and, when it can see the host, audits it. */
public final class Verification {

    private static final Pattern API_VERSION = Pattern.compile("[0-9]{1,2}\\.[0-9]{1,3}");

    private final UpstreamAddress target;
    private final Duration timeout;
    private final Policy expected;
    private final String expectedName;
    private final UpstreamAddress dockerHost;
    private final String proxyContainer;
    private final boolean audit;

    /**
     * @param target the proxy to probe
     * @param timeout per-request connect and read timeout
     * @param expected the policy reality is compared with, or null
     * @param expectedName how the expected policy is shown, or null
     * @param dockerHost direct read access to the daemon for the host audit, or null
     * @param proxyContainer the proxy's container name or id, or null to recognise it by address
     * @param audit whether to audit the host at all
     */
    public Verification(
            UpstreamAddress target,
            Duration timeout,
            Policy expected,
            String expectedName,
            UpstreamAddress dockerHost,
            String proxyContainer,
            boolean audit) {
        this.target = target;
        this.timeout = timeout;
        this.expected = expected;
        this.expectedName = expectedName;
        this.dockerHost = dockerHost;
        this.proxyContainer = proxyContainer;
        this.audit = audit;
    }

    /**
     * Probes every endpoint of the plan.
     *
     * @throws IOException when the target cannot be connected to at all
     */
    public VerifyReport run(ProbePlan plan) throws IOException {
        ProbeHttp http = new ProbeHttp(target, timeout);
        // The version prefix a client would use: the daemon's Api-Version from /_ping, if the proxy
        // lets it through.
        String prefix = "";
        String apiVersion = null;
        ProbeHttp.Response ping;
        try {
            ping = http.send("GET", "/_ping", null, null, true);
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach the target "
                            + target
                            + ": "
                            + e.getMessage()
                            + "; check the address and that the proxy is running",
                    e);
        }
        String v = ping.header("Api-Version");
        if (v != null && API_VERSION.matcher(v.trim()).matches()) {
            apiVersion = v.trim();
            prefix = "/v" + apiVersion;
        }
        List<ProbeResult> results = new ArrayList<>();
        for (Probe p : plan.probes()) {
            results.add(probe(http, p, prefix));
        }
        HostAudit hostAudit =
                audit
                        ? audit(http, prefix, results)
                        : HostAudit.unavailable("disabled (--no-audit)");
        return new VerifyReport(
                target.toString(),
                Instant.now(),
                apiVersion,
                plan.nonexistentName(),
                expectedName,
                results,
                hostAudit);
    }

    private ProbeResult probe(ProbeHttp http, Probe p, String prefix) {
        if (!p.probed()) {
            return new ProbeResult(
                    p, null, Outcome.NOT_PROBED, -1, p.unsafeReason(), expectation(p, null));
        }
        String sent = prefix + p.target();
        Boolean expectedAllowed = expectation(p, sent);
        try {
            ProbeHttp.Response r =
                    http.send(
                            p.method(),
                            sent,
                            p.body() == null
                                    ? null
                                    : p.id().equals("containers.archive.put")
                                                    || p.id().equals("images.load")
                                                    || p.id().equals("build.create")
                                            ? "application/x-tar"
                                            : "application/json",
                            p.body(),
                            p.readBody());
            Classifier.Classification c = Classifier.classify(r);
            return new ProbeResult(p, sent, c.outcome(), r.status(), c.detail(), expectedAllowed);
        } catch (IOException e) {
            return new ProbeResult(
                    p,
                    sent,
                    Outcome.INCONCLUSIVE,
                    -1,
                    "no answer: " + e.getMessage(),
                    expectedAllowed);
        }
    }

    private Boolean expectation(Probe p, String sent) {
        if (expected == null) {
            return null;
        }
        String t = sent != null ? sent : PermissionSample.path(p.endpoint().template());
        return expected.decide(p.method(), t, ClientIdentity.LOCAL).allowed();
    }

    private HostAudit audit(ProbeHttp viaTarget, String prefix, List<ProbeResult> results) {
        String proxyHost = target.isUnix() ? null : target.host();
        int proxyPort = target.isUnix() ? -1 : target.port();
        if (dockerHost != null) {
            ProbeHttp direct = new ProbeHttp(dockerHost, timeout);
            return HostAudit.run(
                    direct,
                    "--docker-host " + dockerHost,
                    "",
                    proxyHost,
                    proxyPort,
                    proxyContainer);
        }
        boolean listReachable =
                results.stream()
                        .anyMatch(
                                r ->
                                        r.probe().id().equals("containers.list")
                                                && r.outcome() == Outcome.REACHABLE
                                                && r.status() == 200);
        if (!listReachable) {
            return HostAudit.unavailable(
                    "the target does not allow GET /containers/json; "
                            + "give --docker-host URL for direct read access");
        }
        return HostAudit.run(viaTarget, "target", prefix, proxyHost, proxyPort, proxyContainer);
    }

    /** Sample paths for endpoints that were not sent. */
    static final class PermissionSample {
        private PermissionSample() {}

        static String path(String template) {
            return template.replaceAll("\\{[^}]*}", "x");
        }
    }
}
