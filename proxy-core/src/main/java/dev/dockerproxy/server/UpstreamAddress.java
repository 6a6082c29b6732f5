package dev.dockerproxy.server;

import dev.dockerproxy.policy.ConfigException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Docker daemon listens: a UNIX socket (default {@code /var/run/docker.sock}) or a plain
 * TCP address. Immutable and thread-safe.
 */
public final class UpstreamAddress {

    /** The daemon's default socket path. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

    /** {@code unix:///var/run/docker.sock}. */
    public static final UpstreamAddress DEFAULT = new UpstreamAddress(DEFAULT_SOCKET, null, -1);

    private final Path path;
    private final String host;
    private final int port;

    private UpstreamAddress(Path path, String host, int port) {
        this.path = path;
        this.host = host;
        this.port = port;
    }

    /** The daemon's UNIX socket. */
    public static UpstreamAddress unix(Path path) {
        return new UpstreamAddress(
                Objects.requireNonNull(path, "path").toAbsolutePath().normalize(), null, -1);
    }

    /** A daemon listening on plain TCP (no TLS). */
    public static UpstreamAddress tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "upstream TCP port " + port + " is out of range 1..65535");
        }
        return new UpstreamAddress(null, host, port);
    }

    /**
     * Parses a {@code DOCKER_HOST}-style string: {@code unix:///var/run/docker.sock}, {@code
     * tcp://HOST:PORT}, or a bare absolute socket path.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static UpstreamAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix://")) {
            String p = s.substring("unix://".length());
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException(
                        "upstream '"
                                + text
                                + "' needs an absolute path, e.g. unix:///var/run/docker.sock");
            }
            return unix(Path.of(p));
        }
        if (lower.startsWith("tcp://") || lower.startsWith("http://")) {
            String rest = s.substring(s.indexOf("://") + 3);
            ListenAddress.HostPort hp = ListenAddress.HostPort.parse(rest, text, "upstream");
            return tcp(hp.host, hp.port);
        }
        if (s.startsWith("/")) {
            return unix(Path.of(s));
        }
        if (!s.contains("://")) {
            throw new IllegalArgumentException(
                    "upstream '"
                            + text
                            + "' is not an absolute path; use an absolute"
                            + " socket path such as /var/run/docker.sock, unix:///var/run/docker.sock or tcp://HOST:PORT");
        }
        throw new IllegalArgumentException(
                "cannot parse upstream '"
                        + text
                        + "'; use unix:///var/run/docker.sock,"
                        + " an absolute socket path, or tcp://HOST:PORT (TLS upstreams are not supported)");
    }

    /**
     * The upstream named by an environment, as the CLI reads it: {@code SOCKET_PATH} (Tecnativa's
     * variable: a socket path or any form {@link #parse} accepts) if set, else {@code DOCKER_HOST}
     * when it is a {@code unix://}, {@code tcp://} or {@code http://} URL, else {@link #DEFAULT}.
     * {@code SOCKET_PATH} wins because a client-side {@code DOCKER_HOST} in the proxy's environment
     * often points at the proxy itself; a {@code DOCKER_HOST} the proxy cannot use as its upstream
     * ({@code ssh://}, {@code npipe://}, {@code fd://}) is there for Docker clients and is ignored.
     *
     * @throws ConfigException naming the variable ({@code SOCKET_PATH} or {@code DOCKER_HOST})
     *     whose value cannot be parsed
     */
    public static UpstreamAddress fromEnvironment(Map<String, String> env) {
        String socketPath = env.get("SOCKET_PATH");
        if (socketPath != null && !socketPath.isBlank()) {
            return parse("SOCKET_PATH", socketPath);
        }
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            String lower = dockerHost.trim().toLowerCase(Locale.ROOT);
            if (lower.startsWith("unix://")
                    || lower.startsWith("tcp://")
                    || lower.startsWith("http://")) {
                return parse("DOCKER_HOST", dockerHost);
            }
        }
        return DEFAULT;
    }

    private static UpstreamAddress parse(String variable, String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, e.getMessage(), e);
        }
    }

    /** Whether the daemon is reached over a UNIX socket. */
    public boolean isUnix() {
        return path != null;
    }

    /** The socket path, or {@code null} for TCP. */
    public Path path() {
        return path;
    }

    /** The TCP host, or {@code null} for UNIX. */
    public String host() {
        return host;
    }

    /** The TCP port, or {@code -1} for UNIX. */
    public int port() {
        return port;
    }

    /** The {@code Host} header the proxy sends upstream (clients' {@code Host} is ignored). */
    public String hostHeader() {
        if (path != null) {
            return "docker";
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return path != null ? "unix://" + path : "tcp://" + hostHeader();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UpstreamAddress)) {
            return false;
        }
        UpstreamAddress other = (UpstreamAddress) o;
        return port == other.port
                && Objects.equals(path, other.path)
                && Objects.equals(host, other.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, host, port);
    }
}
