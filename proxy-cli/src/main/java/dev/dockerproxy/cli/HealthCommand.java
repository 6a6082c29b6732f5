package dev.dockerproxy.cli;

import dev.dockerproxy.cli.verify.ProbeHttp;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code health}: one {@code GET /_ping} through the proxy, for container health checks. */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Health check: send GET /_ping to the proxy and exit 0 when the daemon answers 200 through "
                    + "it (the proxy is serving and reaches the daemon), 1 otherwise.",
            "The policy must allow /_ping (PING=1, Tecnativa's default). For a Dockerfile HEALTHCHECK."
        },
        footer = ExitCodes.FOOTER)
public final class HealthCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--target",
            paramLabel = "ADDR",
            defaultValue = "tcp://127.0.0.1:2375",
            description = "The proxy: tcp://HOST:PORT or unix:///path (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "3s",
            description = "Connect and read timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        UpstreamAddress address = ConfigResolver.daemonAddress(target, "--target");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ProbeHttp.Response r =
                    new ProbeHttp(address, timeout).send("GET", "/_ping", null, null, true);
            if (r.status() == 200) {
                out.println(
                        "healthy: "
                                + address
                                + " answered GET /_ping with 200 "
                                + Escaping.printable(r.bodyText().trim()));
                out.flush();
                return ExitCodes.OK;
            }
            err.println(
                    "unhealthy: "
                            + address
                            + " answered GET /_ping with "
                            + r.status()
                            + (r.status() == 403 || r.status() == 405
                                    ? " (does the policy allow PING?)"
                                    : ""));
        } catch (IOException e) {
            err.println(
                    "unhealthy: "
                            + address
                            + ": "
                            + Escaping.printable(String.valueOf(e.getMessage())));
        }
        err.flush();
        return ExitCodes.RUNTIME;
    }
}
