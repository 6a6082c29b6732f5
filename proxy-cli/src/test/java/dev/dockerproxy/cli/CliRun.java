package dev.dockerproxy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command in-process with an injected environment and captured output. */
final class CliRun {

    /** The mission's Tecnativa environment (Traefik behind the proxy). */
    static final Map<String, String> MISSION_ENV =
            Map.of(
                    "CONTAINERS",
                    "1",
                    "NETWORKS",
                    "1",
                    "SERVICES",
                    "1",
                    "TASKS",
                    "1",
                    "INFO",
                    "1",
                    "EVENTS",
                    "1",
                    "VERSION",
                    "1",
                    "PING",
                    "1");

    record Result(int exitCode, String out, String err) {}

    private CliRun() {}

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DockerSocketProxyCommand.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
