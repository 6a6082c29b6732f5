package dev.dockerproxy.cli;

import dev.dockerproxy.cli.verify.ProbePlan;
import dev.dockerproxy.cli.verify.Verification;
import dev.dockerproxy.cli.verify.VerifyReport;
import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.policy.file.PolicyFile;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code verify --target URL}: probes a running proxy with harmless requests and reports what gets
 * through.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Probe a running Docker socket proxy (this one or any other, e.g. Tecnativa's) and print a "
                    + "security verification report: which endpoints reach the daemon, which are blocked, the "
                    + "dangerous ones that are reachable, and the classic tests GET /containers/json, "
                    + "POST /containers/create and DELETE /containers/x.",
            "Every request is harmless on a real daemon: nonexistent object names, bodies the daemon rejects, "
                    + "no pulls, no prunes, no swarm init/leave, no create that can succeed.",
            "A probe is 'blocked' when the proxy answered (401/403/405, or an error without the daemon's "
                    + "Api-Version header and {\"message\":...} shape) and 'reachable' when the daemon answered "
                    + "(e.g. 404 No such container, 400, 409, 500).",
            "When GET /containers/json and inspect get through (or with --docker-host) it also audits the host: "
                    + "direct socket mounts, privileged containers, host network/PID, the proxy's network."
        },
        footer = ExitCodes.FOOTER)
public final class VerifyCommand implements Callable<Integer> {

    @ParentCommand DockerSocketProxyCommand parent;

    @Spec CommandLine.Model.CommandSpec spec;

    /** Report formats. */
    enum Format {
        markdown,
        json
    }

    @Option(
            names = "--target",
            required = true,
            paramLabel = "ADDR",
            description = "The proxy to probe: tcp://HOST:PORT or unix:///path.")
    String target;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "markdown",
            description = "markdown or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--expect",
            paramLabel = "NAME",
            description =
                    "Compare with a preset (read-only, traefik, portainer-read-only, homepage, watchtower, "
                            + "deny-all) or 'env' (the policy of this environment's Tecnativa variables, e.g. "
                            + "CONTAINERS=1); exit 6 listing every difference.")
    String expect;

    @Option(
            names = "--expect-policy",
            paramLabel = "FILE",
            description = "Compare with a YAML policy file; exit 6 listing every difference.")
    Path expectPolicy;

    @Option(
            names = "--docker-host",
            paramLabel = "ADDR",
            description =
                    "Direct read access to the daemon (unix:///var/run/docker.sock or tcp://HOST:PORT) for "
                            + "the host audit; only GET requests are sent to it.")
    String dockerHost;

    @Option(
            names = "--proxy-container",
            paramLabel = "NAME",
            description =
                    "The proxy's container name or id, for the network check (default: recognised by the "
                            + "target's host name, address or published port).")
    String proxyContainer;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "10s",
            description = "Connect and read timeout per request (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--no-audit", description = "Skip the host audit.")
    boolean noAudit;

    @Override
    public Integer call() {
        UpstreamAddress targetAddress = ConfigResolver.daemonAddress(target, "--target");
        UpstreamAddress direct =
                dockerHost == null
                        ? null
                        : ConfigResolver.daemonAddress(dockerHost, "--docker-host");
        if (expect != null && expectPolicy != null) {
            throw new ConfigException(
                    "--expect", "cannot be combined with --expect-policy; give one of them");
        }
        Policy expected = null;
        String expectedName = null;
        if (expectPolicy != null) {
            expected = PolicyFile.load(expectPolicy);
            expectedName = "file " + expectPolicy;
        } else if (expect != null) {
            String name = expect.trim();
            if (name.equals("env")) {
                expected = TecnativaEnv.parse(parent.env()).policy();
                expectedName = "env (this environment's Tecnativa variables)";
            } else if (Presets.names().contains(name)) {
                expected = Presets.get(name);
                expectedName = "preset " + name;
            } else {
                throw new ConfigException(
                        "--expect",
                        "unknown policy '"
                                + Escaping.printable(expect)
                                + "'; use env or one of "
                                + String.join(", ", Presets.names())
                                + ", or --expect-policy FILE");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VerifyReport report;
        try {
            report =
                    new Verification(
                                    targetAddress,
                                    timeout,
                                    expected,
                                    expectedName,
                                    direct,
                                    proxyContainer,
                                    !noAudit)
                            .run(ProbePlan.create());
        } catch (IOException e) {
            err.println(
                    "docker-socket-proxy: verify: "
                            + Escaping.printable(String.valueOf(e.getMessage())));
            err.flush();
            return ExitCodes.RUNTIME;
        }
        if (format == Format.json) {
            out.println(report.toJson());
        } else {
            report.printMarkdown(out);
        }
        out.flush();
        if (expected != null && !report.differences().isEmpty()) {
            err.println(
                    "docker-socket-proxy: verify: "
                            + report.differences().size()
                            + " endpoint(s) differ from "
                            + expectedName
                            + " (see the report)");
            err.flush();
            return ExitCodes.MISMATCH;
        }
        return ExitCodes.OK;
    }
}
