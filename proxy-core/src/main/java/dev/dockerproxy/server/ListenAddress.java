package dev.dockerproxy.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the proxy accepts clients: a TCP host and port, or a UNIX socket path. Immutable and
 * thread-safe.
 *
 * <p>Configured addresses may use port {@code 0} (an ephemeral port) or {@link #unixTemp()} (a
 * fresh socket in a new private temp directory); {@link DockerSocketProxy#boundAddresses()} reports
 * the resolved ones after start.
 */
public final class ListenAddress {

    /** The transport of a listen address. */
    public enum Kind {
        TCP,
        UNIX
    }

    private final Kind kind;
    private final String host;
    private final int port;
    private final Path path;

    private ListenAddress(Kind kind, String host, int port, Path path) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * A TCP address. {@code host} is a name or literal ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code
     * ::}, {@code ::1}); {@code port} 0 picks a free port.
     */
    public static ListenAddress tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "TCP port " + port + " is out of range; use 0 (ephemeral) to 65535");
        }
        String h =
                host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1)
                        : host;
        if (h.isEmpty()) {
            throw new IllegalArgumentException(
                    "empty TCP host; use 0.0.0.0 or :: for all interfaces");
        }
        return new ListenAddress(Kind.TCP, h, port, null);
    }

    /** A UNIX socket at {@code path} (keep it under about 100 bytes: a kernel limit). */
    public static ListenAddress unix(Path path) {
        Objects.requireNonNull(path, "path");
        Path abs = path.toAbsolutePath().normalize();
        if (abs.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new IllegalArgumentException(
                    "UNIX socket path "
                            + abs
                            + " is longer than 100 bytes,"
                            + " the kernel limit; choose a shorter path such as /tmp/docker-proxy.sock");
        }
        return new ListenAddress(Kind.UNIX, null, -1, abs);
    }

    /**
     * A UNIX socket in a fresh private directory under {@code /tmp}, created at start, deleted at
     * close.
     */
    public static ListenAddress unixTemp() {
        return new ListenAddress(Kind.UNIX, null, -1, null);
    }

    /**
     * Parses {@code tcp://HOST:PORT} (IPv6 in brackets: {@code tcp://[::]:2375}) or {@code
     * unix:///absolute/path}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ListenAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix://")) {
            String p = s.substring("unix://".length());
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException(
                        "listen address '"
                                + text
                                + "' needs an absolute path, e.g. unix:///run/docker-proxy.sock");
            }
            return unix(Path.of(p));
        }
        if (lower.startsWith("tcp://")) {
            HostPort hp = HostPort.parse(s.substring("tcp://".length()), text, "listen address");
            return tcp(hp.host, hp.port);
        }
        throw new IllegalArgumentException(
                "cannot parse listen address '"
                        + text
                        + "'; use tcp://HOST:PORT (e.g. tcp://0.0.0.0:2375, tcp://[::]:2375) or unix:///path/to.sock");
    }

    public Kind kind() {
        return kind;
    }

    /** The TCP host (without brackets), or {@code null} for UNIX addresses. */
    public String host() {
        return host;
    }

    /** The TCP port, or {@code -1} for UNIX addresses. */
    public int port() {
        return port;
    }

    /** The UNIX socket path, or {@code null} for TCP and for an unresolved {@link #unixTemp()}. */
    public Path path() {
        return path;
    }

    /** Whether this is a {@link #unixTemp()} placeholder that start resolves to a real path. */
    public boolean isTemp() {
        return kind == Kind.UNIX && path == null;
    }

    /** {@code tcp://127.0.0.1:2375}, {@code tcp://[::]:2375} or {@code unix:///path}. */
    @Override
    public String toString() {
        if (kind == Kind.TCP) {
            return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
        return path == null ? "unix://(temp)" : "unix://" + path;
    }

    /** A URI clients can use: {@code http://host:port} for TCP, {@code unix:///path} for UNIX. */
    public URI toUri() {
        if (kind == Kind.TCP) {
            return URI.create(
                    "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
        }
        return URI.create(toString());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ListenAddress)) {
            return false;
        }
        ListenAddress other = (ListenAddress) o;
        return kind == other.kind
                && port == other.port
                && Objects.equals(host, other.host)
                && Objects.equals(path, other.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, host, port, path);
    }

    /** A parsed {@code HOST:PORT} with IPv6 brackets removed. */
    static final class HostPort {
        final String host;
        final int port;

        private HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }

        static HostPort parse(String hostPort, String original, String what) {
            String hp =
                    hostPort.endsWith("/")
                            ? hostPort.substring(0, hostPort.length() - 1)
                            : hostPort;
            int colon = hp.lastIndexOf(':');
            int bracket = hp.lastIndexOf(']');
            if (colon < 0 || colon < bracket || colon == hp.length() - 1) {
                throw new IllegalArgumentException(
                        what
                                + " '"
                                + original
                                + "' has no port; write HOST:PORT, IPv6 in brackets: tcp://[::1]:2375");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[")) {
                if (!host.endsWith("]")) {
                    throw new IllegalArgumentException(
                            what + " '" + original + "' has an unclosed '['");
                }
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        what
                                + " '"
                                + original
                                + "' has an IPv6 host without brackets; write tcp://["
                                + host
                                + "]:PORT");
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        what + " '" + original + "' has a non-numeric port");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException(
                        what
                                + " '"
                                + original
                                + "' has an empty host;"
                                + " use 0.0.0.0 (all IPv4), [::] (all) or 127.0.0.1");
            }
            if (host.indexOf('/') >= 0) {
                throw new IllegalArgumentException(
                        what
                                + " '"
                                + original
                                + "' has a '/' in its host;"
                                + " write tcp://HOST:PORT with no path");
            }
            return new HostPort(host, port);
        }
    }
}
