package dev.dockerproxy.policy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who sent a request: the remote address for TCP clients, the peer credentials for UNIX-socket
 * clients (when the platform reports them). Immutable and thread-safe.
 *
 * @param transport {@code "tcp"} or {@code "unix"} (or {@code "local"} for in-process evaluation)
 * @param address the remote IP address of a TCP client, or {@code null}
 * @param port the remote TCP port, or {@code -1}
 * @param uid the UNIX peer uid, or {@code -1} when unknown
 * @param gid the UNIX peer gid, or {@code -1} when unknown
 * @param pid the UNIX peer pid, or {@code -1} when unknown
 */
public record ClientIdentity(
        String transport, InetAddress address, int port, long uid, long gid, long pid) {

    /** An identity for evaluations that have no network client (explain, check, tests). */
    public static final ClientIdentity LOCAL = new ClientIdentity("local", null, -1, -1, -1, -1);

    public ClientIdentity {
        Objects.requireNonNull(transport, "transport");
    }

    /** A TCP client. */
    public static ClientIdentity tcp(InetAddress address, int port) {
        return new ClientIdentity(
                "tcp", Objects.requireNonNull(address, "address"), port, -1, -1, -1);
    }

    /** A UNIX-socket client; pass {@code -1} for credentials the platform did not report. */
    public static ClientIdentity unix(long uid, long gid, long pid) {
        return new ClientIdentity("unix", null, -1, uid, gid, pid);
    }

    /** The remote address, if this is a TCP client. */
    public Optional<InetAddress> remoteAddress() {
        return Optional.ofNullable(address);
    }

    /** The peer uid, if known. */
    public OptionalLong peerUid() {
        return uid < 0 ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    /**
     * A short human form for logs: {@code tcp:127.0.0.1:5123} or {@code
     * unix:uid=1000,gid=1000,pid=42}.
     */
    @Override
    public String toString() {
        if (address != null) {
            String host = address.getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
            return transport + ":" + host + (port >= 0 ? ":" + port : "");
        }
        if ("unix".equals(transport)) {
            return "unix:uid="
                    + (uid < 0 ? "?" : uid)
                    + ",gid="
                    + (gid < 0 ? "?" : gid)
                    + ",pid="
                    + (pid < 0 ? "?" : pid);
        }
        return transport;
    }
}
