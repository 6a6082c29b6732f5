package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import java.util.Locale;
import java.util.Objects;

/**
 * A listen or upstream address as written on the command line: {@code tcp://HOST:PORT}
 * (IPv6 hosts in brackets, e.g. {@code tcp://[::]:2375}) or {@code unix:///absolute/path}.
 * Immutable.
 *
 * @param scheme {@code tcp} or {@code unix}
 * @param host   the TCP host without brackets, or {@code null} for UNIX sockets
 * @param port   the TCP port (0 = ephemeral), or {@code -1} for UNIX sockets
 * @param path   the UNIX socket path, or {@code null} for TCP
 */
public record Address(String scheme, String host, int port, String path) {

    public Address {
        Objects.requireNonNull(scheme, "scheme");
    }

    /** A TCP address. */
    public static Address tcp(String host, int port) {
        return new Address("tcp", host, port, null);
    }

    /** A UNIX-socket address. */
    public static Address unix(String path) {
        return new Address("unix", null, -1, path);
    }

    public boolean isUnix() {
        return "unix".equals(scheme);
    }

    /**
     * Parses an address.
     *
     * @param text     the value, e.g. {@code tcp://0.0.0.0:2375} or {@code unix:///run/proxy.sock}
     * @param location the flag or variable it came from, for the error message
     * @throws ConfigException naming {@code location} and the accepted forms
     */
    public static Address parse(String text, String location) {
        String v = text == null ? "" : text.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix://")) {
            String path = v.substring("unix://".length());
            if (!path.startsWith("/") || path.length() < 2) {
                throw error(location, v, "a UNIX socket needs an absolute path, e.g. unix:///run/docker-proxy.sock");
            }
            return unix(path);
        }
        if (lower.startsWith("tcp://")) {
            String rest = v.substring("tcp://".length());
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw error(location, v, "a TCP address needs a port, e.g. tcp://0.0.0.0:2375");
            }
            String host = rest.substring(0, colon);
            String portText = rest.substring(colon + 1);
            if (host.startsWith("[")) {
                if (!host.endsWith("]") || host.length() < 3) {
                    throw error(location, v, "close the IPv6 address with ']', e.g. tcp://[::]:2375");
                }
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw error(location, v, "put an IPv6 address in brackets, e.g. tcp://[::]:2375");
            }
            if (host.isEmpty() || host.contains("/")) {
                throw error(location, v, "a TCP address needs a host, e.g. tcp://0.0.0.0:2375 or tcp://[::]:2375");
            }
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw error(location, v, "the port must be a number from 0 to 65535");
            }
            if (port < 0 || port > 65535) {
                throw error(location, v, "the port must be a number from 0 to 65535");
            }
            return tcp(host, port);
        }
        throw error(location, v, "use tcp://HOST:PORT, tcp://[IPv6]:PORT or unix:///absolute/path");
    }

    private static ConfigException error(String location, String value, String what) {
        return new ConfigException(location, "'" + Escaping.printable(value) + "' is not a valid address; " + what);
    }

    /** The address in the form {@link #parse} accepts. */
    @Override
    public String toString() {
        if (isUnix()) {
            return "unix://" + path;
        }
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
