package dev.dockerproxy.cli.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The result of a verification run, printable as Markdown or JSON.
 *
 * @param target the probed address
 * @param time when the run ended
 * @param apiVersion the daemon's API version seen through the target, or null
 * @param nonexistentName the object name every probe used
 * @param expected the expected policy's name, or null without {@code --expect}
 * @param results one per catalog endpoint, in catalog order
 * @param audit the host audit
 */
public record VerifyReport(
        String target,
        Instant time,
        String apiVersion,
        String nonexistentName,
        String expected,
        List<ProbeResult> results,
        HostAudit audit) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The three classic tests of the mission's report, by endpoint id. */
    public static final List<String> CLASSIC =
            List.of("containers.list", "containers.create", "containers.delete");

    public VerifyReport {
        results = List.copyOf(results);
    }

    public List<ProbeResult> with(Outcome outcome) {
        return select(r -> r.outcome() == outcome);
    }

    /** Reachable endpoints that run code, read secrets or file contents, or change state. */
    public List<ProbeResult> dangerousReachable() {
        return select(r -> r.outcome() == Outcome.REACHABLE && r.probe().dangerous());
    }

    public List<ProbeResult> differences() {
        return select(ProbeResult::differs);
    }

    public Optional<ProbeResult> result(String endpointId) {
        return results.stream().filter(r -> r.probe().id().equals(endpointId)).findFirst();
    }

    private List<ProbeResult> select(Predicate<ProbeResult> p) {
        return results.stream().filter(p).collect(Collectors.toList());
    }

    /** One word for the whole run. */
    public String verdict() {
        if (expected != null && !differences().isEmpty()) {
            return "MISMATCH: "
                    + differences().size()
                    + " endpoint(s) differ from the expected policy "
                    + expected;
        }
        if (!dangerousReachable().isEmpty()) {
            return "EXPOSED: "
                    + dangerousReachable().size()
                    + " dangerous endpoint(s) are reachable";
        }
        return expected != null
                ? "OK: the proxy enforces " + expected
                : "OK: no dangerous endpoint is reachable";
    }

    // ---------------------------------------------------------------------------------- Markdown

    public void printMarkdown(PrintWriter out) {
        out.println("# Docker socket proxy security verification");
        out.println();
        out.println("## Summary");
        out.println();
        out.println("- Target: `" + target + "`");
        out.println("- Date: " + time.truncatedTo(ChronoUnit.SECONDS));
        out.println(
                "- Docker API version seen through the target: "
                        + (apiVersion == null
                                ? "unknown (`/_ping` " + "did not show it)"
                                : apiVersion));
        out.println(
                "- Endpoints: "
                        + results.size()
                        + " in the catalog; "
                        + with(Outcome.REACHABLE).size()
                        + " reachable, "
                        + with(Outcome.BLOCKED).size()
                        + " blocked, "
                        + with(Outcome.INCONCLUSIVE).size()
                        + " inconclusive, "
                        + with(Outcome.NOT_PROBED).size()
                        + " not probed (unsafe)");
        out.println("- Dangerous operations reachable: " + dangerousReachable().size());
        if (expected != null) {
            out.println(
                    "- Expected policy: " + expected + "; differences: " + differences().size());
        }
        out.println("- Verdict: **" + verdict() + "**");
        out.println(
                "- Every probe used the nonexistent name `"
                        + nonexistentName
                        + "`, an invalid body or a "
                        + "read-only request: nothing on the daemon changed.");
        out.println();
        out.println("## Classic tests");
        out.println();
        out.println("| Test | Status | Result | Detail |");
        out.println("|---|---|---|---|");
        for (String id : CLASSIC) {
            result(id)
                    .ifPresent(
                            r ->
                                    out.println(
                                            "| `"
                                                    + r.probe().method()
                                                    + " "
                                                    + md(r.sentTarget())
                                                    + "` | "
                                                    + status(r)
                                                    + " | "
                                                    + r.outcome().label()
                                                    + " | "
                                                    + md(r.detail())
                                                    + " |"));
        }
        out.println();
        out.println("## DANGEROUS operations reachable");
        out.println();
        List<ProbeResult> danger = dangerousReachable();
        if (danger.isEmpty()) {
            out.println(
                    "None: every exec, attach, archive, export, logs, secret, config, image save, debug and "
                            + "write endpoint that was probed is blocked.");
        } else {
            table(out, danger);
        }
        out.println();
        out.println("## Allowed operations (reachable)");
        out.println();
        table(out, with(Outcome.REACHABLE));
        out.println();
        out.println("## Blocked operations");
        out.println();
        table(out, with(Outcome.BLOCKED));
        if (!with(Outcome.INCONCLUSIVE).isEmpty()) {
            out.println();
            out.println("## Inconclusive");
            out.println();
            table(out, with(Outcome.INCONCLUSIVE));
        }
        out.println();
        out.println("## Not probed (unsafe)");
        out.println();
        out.println(
                "No request to these endpoints is known to be harmless on every daemon, so none was sent.");
        out.println();
        out.println("| Endpoint | Route | Why not |");
        out.println("|---|---|---|");
        for (ProbeResult r : with(Outcome.NOT_PROBED)) {
            out.println(
                    "| "
                            + r.probe().id()
                            + " | `"
                            + r.probe().method()
                            + " "
                            + r.probe().endpoint().template()
                            + "` | "
                            + md(r.detail())
                            + " |");
        }
        if (expected != null) {
            out.println();
            out.println("## Differences from the expected policy (" + md(expected) + ")");
            out.println();
            if (differences().isEmpty()) {
                out.println("None: every probed endpoint behaves as the expected policy says.");
            } else {
                for (ProbeResult r : differences()) {
                    out.println("- " + md(r.differenceText()));
                }
            }
        }
        out.println();
        out.println("## Host audit");
        out.println();
        if (!audit.available()) {
            out.println("Not available: " + md(audit.unavailableReason()) + ".");
        } else {
            out.println(
                    "Seen through "
                            + md(audit.source())
                            + ": "
                            + audit.containers()
                            + " container(s).");
            out.println();
            out.println(
                    "- Containers mounting the Docker socket directly (not through the proxy): "
                            + list(audit.socketMounts()));
            out.println("- Privileged containers: " + list(audit.privileged()));
            out.println("- Containers on the host network: " + list(audit.hostNetwork()));
            out.println("- Containers in the host PID namespace: " + list(audit.hostPid()));
            out.println(
                    "- Proxy container: "
                            + (audit.proxyContainers().isEmpty()
                                    ? "not recognised"
                                    : String.join(", ", audit.proxyContainers())));
            out.println("- Proxy network: " + md(audit.proxyNetwork()));
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<ProbeResult> rows) {
        if (rows.isEmpty()) {
            out.println("None.");
            return;
        }
        out.println("| Endpoint | Access | Request | Status | Detail |");
        out.println("|---|---|---|---|---|");
        for (ProbeResult r : rows) {
            out.println(
                    "| "
                            + r.probe().id()
                            + " | "
                            + r.probe().endpoint().access().id()
                            + " | `"
                            + r.probe().method()
                            + " "
                            + md(r.sentTarget())
                            + "` | "
                            + status(r)
                            + " | "
                            + md(r.detail())
                            + " |");
        }
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : md(String.join("; ", items));
    }

    private static String status(ProbeResult r) {
        return r.status() < 0 ? "-" : Integer.toString(r.status());
    }

    private static String md(String s) {
        return s == null
                ? ""
                : s.replace("|", "\\|").replace("`", "'").replaceAll("[\\r\\n]+", " ");
    }

    // ---------------------------------------------------------------------------------- JSON

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", target);
        root.put("time", time.toString());
        root.put("apiVersion", apiVersion);
        root.put("nonexistentName", nonexistentName);
        root.put("verdict", verdict());
        ObjectNode summary = root.putObject("summary");
        summary.put("endpoints", results.size());
        summary.put("reachable", with(Outcome.REACHABLE).size());
        summary.put("blocked", with(Outcome.BLOCKED).size());
        summary.put("inconclusive", with(Outcome.INCONCLUSIVE).size());
        summary.put("notProbed", with(Outcome.NOT_PROBED).size());
        summary.put("dangerousReachable", dangerousReachable().size());
        ObjectNode classic = root.putObject("classicTests");
        for (String id : CLASSIC) {
            result(id)
                    .ifPresent(
                            r ->
                                    classic.set(
                                            r.probe().method()
                                                    + " "
                                                    + r.probe().endpoint().template(),
                                            probeJson(r)));
        }
        ArrayNode danger = root.putArray("dangerousReachable");
        dangerousReachable().forEach(r -> danger.add(r.probe().id()));
        ArrayNode probes = root.putArray("probes");
        results.forEach(r -> probes.add(probeJson(r)));
        if (expected != null) {
            ObjectNode exp = root.putObject("expected");
            exp.put("policy", expected);
            exp.put("matches", differences().isEmpty());
            ArrayNode diffs = exp.putArray("differences");
            differences().forEach(r -> diffs.add(r.differenceText()));
        }
        ObjectNode a = root.putObject("hostAudit");
        a.put("available", audit.available());
        if (!audit.available()) {
            a.put("reason", audit.unavailableReason());
        } else {
            a.put("source", audit.source());
            a.put("containers", audit.containers());
            audit.socketMounts().forEach(a.putArray("socketMounts")::add);
            audit.privileged().forEach(a.putArray("privileged")::add);
            audit.hostNetwork().forEach(a.putArray("hostNetwork")::add);
            audit.hostPid().forEach(a.putArray("hostPid")::add);
            audit.proxyContainers().forEach(a.putArray("proxyContainers")::add);
        }
        a.put("proxyNetwork", audit.proxyNetwork());
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode probeJson(ProbeResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("endpoint", r.probe().id());
        o.put("section", r.probe().endpoint().section().name());
        o.put("access", r.probe().endpoint().access().id());
        o.put("method", r.probe().method());
        o.put("route", r.probe().endpoint().template());
        o.put("request", r.sentTarget());
        o.put("result", r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (r.status() >= 0) {
            o.put("status", r.status());
        } else {
            o.putNull("status");
        }
        o.put("dangerous", r.probe().dangerous());
        o.put("detail", r.detail());
        if (r.expectedAllowed() != null) {
            o.put("expected", r.expectedAllowed() ? "allowed" : "denied");
            o.put("differs", r.differs());
        }
        return o;
    }
}
