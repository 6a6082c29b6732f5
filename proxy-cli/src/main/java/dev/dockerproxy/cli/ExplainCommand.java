package dev.dockerproxy.cli;

import dev.dockerproxy.policy.CanonicalRequest;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.RuleRef;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code explain METHOD TARGET}: how the configured policy judges one request, offline. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Show how the configured policy judges one request: the canonical request, the endpoint, "
                    + "the decision, the deciding rule and its source, and what would allow it.",
            "Offline: reads the same configuration as 'serve' (environment, --policy, --preset) and contacts "
                    + "nothing.",
            "Example: docker-socket-proxy explain POST /v1.41/containers/abc/exec"
        },
        footer = ExitCodes.FOOTER)
public final class ExplainCommand implements Callable<Integer> {

    @ParentCommand DockerSocketProxyCommand parent;

    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConfigOptions config = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "METHOD", description = "HTTP method, e.g. GET or POST.")
    String method;

    @Parameters(
            index = "1",
            paramLabel = "TARGET",
            description = "Request target as a client sends it, e.g. /v1.41/containers/json?all=1.")
    String target;

    @Override
    public Integer call() {
        ResolvedConfig cfg = ConfigResolver.resolve(config, parent.env());
        PrintWriter out = spec.commandLine().getOut();
        Decision d =
                cfg.policy().decide(method.toUpperCase(Locale.ROOT), target, ClientIdentity.LOCAL);
        print(out, cfg, d);
        out.flush();
        return d.allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    static void print(PrintWriter out, ResolvedConfig cfg, Decision d) {
        for (String note : cfg.notes()) {
            out.println("note:      " + note);
        }
        out.println(
                "policy:    "
                        + cfg.policy().name()
                        + " ("
                        + cfg.policyOrigin()
                        + ", "
                        + cfg.policy().rules().size()
                        + " rules)");
        CanonicalRequest r = d.request();
        if (r == null) {
            out.println("request:   malformed, not canonicalised");
        } else {
            out.println("request:   " + r.method() + " " + Escaping.printable(r.rawTarget()));
            out.println(
                    "canonical: method "
                            + r.method()
                            + ", API version "
                            + (r.apiVersion() == null ? "- (none)" : r.apiVersion())
                            + ", path "
                            + Escaping.printable(r.path())
                            + ", query "
                            + (r.query() == null ? "-" : Escaping.printable(r.query())));
            out.println("forwarded: " + Escaping.printable(r.forwardTarget()));
        }
        Endpoint e = d.endpoint();
        if (e == null) {
            out.println("endpoint:  " + d.endpointId());
        } else {
            out.println(
                    "endpoint:  "
                            + e.id()
                            + " (section "
                            + e.section()
                            + ", access "
                            + e.access().id()
                            + ", route "
                            + e.method()
                            + " "
                            + e.template()
                            + (e.hijack() ? ", may hijack" : "")
                            + ")");
        }
        out.println("decision:  " + (d.allowed() ? "ALLOWED" : "DENIED") + " (" + d.status() + ")");
        RuleRef rule = d.rule();
        out.println(
                "rule:      "
                        + rule.name()
                        + (rule.index() >= 0 ? " #" + (rule.index() + 1) : "")
                        + " from "
                        + rule.source());
        out.println("message:   " + Escaping.printable(d.message()));
        cfg.policy()
                .bodyCheck(d)
                .ifPresent(
                        c ->
                                out.println(
                                        "body:      "
                                                + (c.unrestricted()
                                                        ? "a start body is refused; nothing else is checked (the rule is unrestricted)"
                                                        : "read and judged before it is forwarded: "
                                                                + c)));
    }
}
