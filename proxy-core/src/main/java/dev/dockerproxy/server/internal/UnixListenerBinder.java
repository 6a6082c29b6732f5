package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Binds UNIX-socket listeners safely: a stale socket file (nobody accepts on it) is replaced, a
 * live one is never taken over, a path that is not a socket is never deleted, and the requested
 * file mode is applied right after bind. Uses the JDK's UNIX-domain channels (see {@link
 * ChannelSocket}).
 *
 * <p>Caveat: between bind and chmod the socket has the umask's mode; put sockets in a directory
 * only the intended users can traverse when that window matters.
 */
public final class UnixListenerBinder {

    private UnixListenerBinder() {}

    /**
     * Binds {@code path}.
     *
     * @throws BindException when a live socket or a non-socket file is in the way, saying what to
     *     do
     */
    public static ListenerSocket bind(Path path, int mode, int backlog) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attrs =
                    Files.readAttributes(
                            path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isOther()) {
                throw new BindException(
                        "cannot listen on "
                                + path
                                + ": the path exists and is not a socket;"
                                + " remove it or choose another path");
            }
            if (isLive(path)) {
                throw new BindException(
                        "cannot listen on "
                                + path
                                + ": another process is accepting"
                                + " connections on that socket; stop it or choose another path");
            }
            Files.deleteIfExists(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), backlog);
        } catch (IOException e) {
            server.close();
            throw new BindException(
                    "cannot listen on "
                            + path
                            + ": "
                            + e.getMessage()
                            + "; check that the directory exists and is writable");
        }
        try {
            Files.setPosixFilePermissions(path, permissions(mode));
            return ListenerSocket.unix(server, path);
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(path);
            throw new IOException(
                    "cannot set mode "
                            + Integer.toOctalString(mode)
                            + " on "
                            + path
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Whether something accepts connections on the socket at {@code path}. */
    static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** POSIX permissions for an octal mode such as {@code 0660}. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        return perms;
    }
}
