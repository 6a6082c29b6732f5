package dev.dockerproxy.server.internal;

import dev.dockerproxy.server.UpstreamAddress;
import org.apache.hc.core5.http.config.Http1Config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens connections to the daemon. Thread-safe. */
public final class UpstreamConnector {

    private final UpstreamAddress address;
    private final int connectTimeoutMillis;
    private final Http1Config http1Config;

    public UpstreamConnector(UpstreamAddress address, Duration connectTimeout, Http1Config http1Config) {
        this.address = address;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.http1Config = http1Config;
    }

    public UpstreamAddress address() {
        return address;
    }

    /**
     * Connects to the daemon.
     *
     * @throws IOException with a message naming the upstream and what to check
     */
    public UpstreamConnection connect() throws IOException {
        Socket socket = null;
        try {
            if (address.isUnix()) {
                socket = ChannelSocket.connect(address.path(), connectTimeoutMillis);
            } else {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMillis);
            }
            return new UpstreamConnection(http1Config, socket);
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new IOException(unreachableMessage(e), e);
        }
    }

    /** A message for a client: which daemon could not be reached, why, and what to check. */
    public String unreachableMessage(Exception cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String check = address.isUnix()
                ? "check that the Docker daemon is running and that the proxy can open " + address.path()
                  + " (path and permissions)"
                : "check that the Docker daemon listens on " + address.hostHeader() + " and is reachable";
        return "docker-socket-proxy cannot reach the Docker daemon at " + address + ": "
                + Json.sanitize(why) + "; " + check;
    }
}
