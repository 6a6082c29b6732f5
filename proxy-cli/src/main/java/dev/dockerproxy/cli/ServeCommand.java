package dev.dockerproxy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code serve} (the default): runs the proxy until SIGTERM or SIGINT. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run the proxy (the default when no subcommand is given).",
            "Listens on tcp://0.0.0.0:2375 and tcp://[::]:2375 unless --listen is given, forwards allowed "
                    + "requests to the Docker daemon and answers denied ones with Docker-style errors.",
            "Prints one line per listener, what the policy allows, and warnings where it allows less than "
                    + "Tecnativa's proxy would; then one access-log line per request.",
            "SIGTERM/SIGINT stop accepting, let in-flight requests finish (up to 10s), and exit 0.",
            "Before listening it connects once to the upstream and exits 5 if the daemon is unreachable."
        },
        footer = ExitCodes.FOOTER)
public final class ServeCommand implements Callable<Integer> {

    @ParentCommand DockerSocketProxyCommand parent;

    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() throws InterruptedException {
        return parent.serve(config, spec.commandLine());
    }
}
