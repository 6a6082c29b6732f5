package dev.dockerproxy.server.internal;

import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hc.core5.http.config.Http1Config;

/** Opens connections to the daemon. Thread-safe. */
public final class UpstreamConnector {

    private final UpstreamAddress address;
    private final int connectTimeoutMillis;
    private final Http1Config http1Config;

    /**
     * While the daemon's accept backlog is full, one connect at a time probes it (with a short
     * backoff) and the others queue here in order: thousands of connects retrying on their own
     * would keep the CPU busy that the daemon needs to accept them.
     */
    private final ReentrantLock backlogGate = new ReentrantLock(true);

    public UpstreamConnector(
            UpstreamAddress address, Duration connectTimeout, Http1Config http1Config) {
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
                socket = connectUnix();
            } else {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(
                        new InetSocketAddress(address.host(), address.port()),
                        connectTimeoutMillis);
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

    /**
     * Connects to the UNIX socket, waiting up to the connect timeout while the daemon's accept
     * backlog is full (as a blocking connect does), instead of failing at once; see {@link
     * ChannelSocket#backlogFull}.
     */
    private ChannelSocket connectUnix() throws IOException {
        try {
            return ChannelSocket.connect(address.path());
        } catch (IOException e) {
            if (!ChannelSocket.backlogFull(e)) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        try {
            if (!backlogGate.tryLock(connectTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new IOException(
                        "the daemon's accept backlog stayed full for "
                                + connectTimeoutMillis
                                + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to connect");
        }
        try {
            long backoffMillis = 1;
            while (true) {
                try {
                    return ChannelSocket.connect(address.path());
                } catch (IOException e) {
                    if (!ChannelSocket.backlogFull(e) || System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(20, backoffMillis * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to connect");
        } finally {
            backlogGate.unlock();
        }
    }

    /** A message for a client: which daemon could not be reached, why, and what to check. */
    public String unreachableMessage(Exception cause) {
        String why =
                cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String check =
                address.isUnix()
                        ? "check that the Docker daemon is running and that the proxy can open "
                                + address.path()
                                + " (path and permissions)"
                        : "check that the Docker daemon listens on "
                                + address.hostHeader()
                                + " and is reachable";
        return "docker-socket-proxy cannot reach the Docker daemon at "
                + address
                + ": "
                + Json.sanitize(why)
                + "; "
                + check;
    }
}
