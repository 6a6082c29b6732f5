package dev.dockerproxy.policy;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a body check may learn from the daemon it guards: read-only look-ups of objects a body
 * borrows from ({@code VolumesFrom}, {@code container:<id>} namespaces, user-defined networks), and
 * the socket the proxy forwards to (a bind of it, or of a directory above it, is refused). The
 * policy itself does no I/O; the server passes an implementation that asks the daemon.
 * Implementations must be thread-safe.
 */
public interface DaemonView {

    /** A view with no daemon behind it: every look-up fails, so borrowing bodies are refused. */
    DaemonView NONE =
            new DaemonView() {
                @Override
                public Optional<byte[]> get(String path) throws IOException {
                    throw new IOException("no daemon to ask");
                }

                @Override
                public List<String> socketPaths() {
                    return List.of();
                }
            };

    /**
     * A daemon that has no objects: every look-up answers "no such object". Borrowing bodies are
     * refused (what they borrow from does not exist), named volumes count as new ones.
     */
    DaemonView EMPTY =
            new DaemonView() {
                @Override
                public Optional<byte[]> get(String path) {
                    return Optional.empty();
                }

                @Override
                public List<String> socketPaths() {
                    return List.of();
                }
            };

    /**
     * Reads one object from the daemon with {@code GET}.
     *
     * @param path a daemon path without version prefix, e.g. {@code /containers/web/json}
     * @return the JSON body of a 200 answer, or empty when the daemon answers 404
     * @throws IOException when the daemon cannot be asked or answers anything else
     */
    Optional<byte[]> get(String path) throws IOException;

    /** The UNIX socket paths the proxy forwards to (empty for a TCP upstream). */
    List<String> socketPaths();
}
