package dev.dockerproxy.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code serve} prints once it listens: one line per listener, the upstream, a summary of what
 * the policy allows, and warnings where the configuration differs from what Tecnativa's proxy would
 * allow with the same variables.
 */
final class StartupReport {

    private StartupReport() {}

    static void print(PrintWriter out, ResolvedConfig config, List<String> boundAddresses) {
        out.println("docker-socket-proxy " + VersionProvider.version());
        for (String a : boundAddresses) {
            out.println("listening on " + a);
        }
        out.println("upstream " + config.proxy().upstream());
        PermissionMatrix matrix = PermissionMatrix.of(config.policy());
        out.println(
                "policy "
                        + config.policy().name()
                        + " ("
                        + config.policyOrigin()
                        + "): allows "
                        + matrix.allowedCount()
                        + " of "
                        + matrix.rows().size()
                        + " endpoints");
        List<String> summary = matrix.summary();
        out.println(
                "allows: "
                        + (summary.isEmpty()
                                ? "nothing (every request is denied)"
                                : String.join(", ", summary)));
        for (String note : config.notes()) {
            out.println("note: " + note);
        }
        List<String> dangerous = matrix.dangerousAllowed();
        if (!dangerous.isEmpty()) {
            out.println(
                    "warning: the policy allows sensitive or exec endpoints: "
                            + String.join(", ", dangerous));
        }
        for (String w : TecnativaWarnings.of(config)) {
            out.println("warning: " + w);
        }
    }
}
