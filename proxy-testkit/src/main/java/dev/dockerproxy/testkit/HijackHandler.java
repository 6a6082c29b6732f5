package dev.dockerproxy.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Owns a hijacked connection after the daemon wrote the {@code 101 UPGRADED} (or {@code 200}
 * raw-stream) head, as for {@code POST /containers/{id}/attach} and {@code POST /exec/{id}/start}.
 *
 * <p>The daemon closes the socket when {@link #handle(HijackedConnection)} returns. Runs on the
 * connection's own thread; an exception closes the socket and is recorded, never rethrown into the
 * test.
 */
@FunctionalInterface
public interface HijackHandler {

    /** Talks to the client over the raw streams of {@code connection}. */
    void handle(HijackedConnection connection) throws IOException;

    /** Echoes every byte the client sends until it half-closes (stdin EOF), then closes. */
    static HijackHandler echo() {
        return new HijackHandler() {
            @Override
            public void handle(HijackedConnection connection) throws IOException {
                InputStream in = connection.input();
                OutputStream out = connection.output();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }

            @Override
            public String toString() {
                return "echo";
            }
        };
    }

    /**
     * Writes {@code bytes} and closes, without reading stdin: a process that prints and exits.
     * Combine with {@link StdStreamFrames#encode(StdStream, byte[])} for a non-TTY exec or attach.
     */
    static HijackHandler writing(byte[] bytes) {
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return new HijackHandler() {
            @Override
            public void handle(HijackedConnection connection) throws IOException {
                connection.output().write(copy);
                connection.output().flush();
            }

            @Override
            public String toString() {
                return "writing("
                        + copy.length
                        + " bytes: "
                        + Arrays.toString(Arrays.copyOf(copy, Math.min(16, copy.length)))
                        + ")";
            }
        };
    }
}
