package dev.dockerproxy.cli;

import dev.dockerproxy.server.ProxyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by {@code serve}, {@code explain} and {@code check}. A field is
 * {@code null} (or empty) when the flag was not given, so {@link ConfigResolver} can fall back to
 * the environment and the defaults, which are {@link ProxyConfig}'s ({@code HelpTest} checks that
 * the defaults this help text states are the core's).
 */
public final class ConfigOptions {

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            description =
                    "Address to listen on: tcp://HOST:PORT, tcp://[::]:PORT or unix:///path. Repeatable. "
                            + "When given, replaces the defaults tcp://0.0.0.0:2375 and tcp://[::]:2375 "
                            + "(the IPv6 one is dropped when DISABLE_IPV6=1).")
    List<String> listen = new ArrayList<>();

    @Option(
            names = "--socket-mode",
            paramLabel = "OCTAL",
            description = "File mode of UNIX listener sockets, in octal (default: 0660).")
    String socketMode;

    @Option(
            names = "--upstream",
            paramLabel = "ADDR",
            description =
                    "The Docker daemon: unix:///path, an absolute socket path or tcp://host:port. Default: "
                            + "SOCKET_PATH, else DOCKER_HOST when it is unix://, tcp:// or http://, else "
                            + "unix:///var/run/docker.sock.")
    String upstream;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description =
                    "YAML policy file. Replaces the rules of the Tecnativa environment variables.")
    Path policy;

    @Option(
            names = "--preset",
            paramLabel = "NAME",
            description =
                    "A built-in policy: read-only, traefik, portainer-read-only, homepage, watchtower, deny-all. "
                            + "Replaces the rules of the Tecnativa environment variables.")
    String preset;

    @Option(
            names = "--min-api-version",
            paramLabel = "VERSION",
            description =
                    "Oldest Docker API version accepted in a /vX.Y prefix (default: MIN_API_VERSION, else the "
                            + "policy file's min-api-version, else 1.24). Older versions are denied: the daemon reads their "
                            + "bodies differently.")
    String minApiVersion;

    @Option(
            names = "--header-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "How long a client may take to send a request head, e.g. 10s, 500ms (default: 10s). "
                            + "Streams are never cut by an idle timer.")
    Duration headerTimeout;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description =
                    "Most client connections served at once; more get 503 (default: "
                            + ProxyConfig.DEFAULT_MAX_CONNECTIONS
                            + ").")
    Integer maxConnections;

    @Option(
            names = "--max-header-size",
            paramLabel = "BYTES",
            description =
                    "Largest request head accepted, in bytes, at least 1024 (default: "
                            + ProxyConfig.DEFAULT_MAX_HEADER_SIZE
                            + ").")
    Integer maxHeaderSize;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            description = "Access log format: text or json (JSON lines) (default: text).")
    String logFormat;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            description =
                    "debug, info, notice, warning, err, crit, alert, emerg (default: LOG_LEVEL, else info). "
                            + "info logs every request; notice and warning log denied requests only; err and above "
                            + "log no requests.")
    String logLevel;
}
