package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.function.Consumer;

/**
 * Binds TCP listeners. When an IPv6 wildcard or loopback ({@code ::}, {@code ::1}) cannot be bound
 * because the host has no IPv6, falls back to the IPv4 equivalent and reports a warning.
 */
public final class TcpListenerBinder {

    /** Opens and binds a server socket; replaceable in tests to simulate a host without IPv6. */
    @FunctionalInterface
    public interface SocketOpener {
        ServerSocket open(InetSocketAddress address, int backlog) throws IOException;
    }

    /** The real opener. */
    public static final SocketOpener SYSTEM =
            (address, backlog) -> {
                ServerSocket s = new ServerSocket();
                try {
                    s.setReuseAddress(true);
                    s.bind(address, backlog);
                    return s;
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            };

    private final SocketOpener opener;

    public TcpListenerBinder(SocketOpener opener) {
        this.opener = opener;
    }

    /**
     * Binds {@code host:port}.
     *
     * @param warnings receives a message when falling back from IPv6 to IPv4
     */
    public ServerSocket bind(String host, int port, int backlog, Consumer<String> warnings)
            throws IOException {
        InetAddress address = InetAddress.getByName(host);
        try {
            return opener.open(new InetSocketAddress(address, port), backlog);
        } catch (BindException e) {
            throw new BindException(
                    "cannot listen on "
                            + display(host, port)
                            + ": "
                            + e.getMessage()
                            + "; is another process using the port? choose another port or stop it");
        } catch (SocketException e) {
            String fallback = ipv4Equivalent(address);
            if (fallback == null) {
                throw e;
            }
            warnings.accept(
                    "cannot listen on "
                            + display(host, port)
                            + " ("
                            + e.getMessage()
                            + "): IPv6 seems unavailable on this host; listening on "
                            + display(fallback, port)
                            + " instead");
            return bind(fallback, port, backlog, w -> {});
        }
    }

    private static String ipv4Equivalent(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        if (address.isAnyLocalAddress()) {
            return "0.0.0.0";
        }
        if (address.isLoopbackAddress()) {
            return "127.0.0.1";
        }
        return null;
    }

    private static String display(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
