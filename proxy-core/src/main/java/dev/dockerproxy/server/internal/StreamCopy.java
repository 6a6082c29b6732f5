package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a body. A body of unknown length (a stream: events, logs, stats) is flushed after every
 * read, so each piece reaches the peer as soon as it arrives; a body of known length is flushed
 * once, by the caller, at its end (the output gathers it, see {@link ClientOutput}).
 *
 * <p>The buffer adapts to the traffic. It doubles, up to {@link #MAX_BUFFER_SIZE}, while reads fill
 * it completely (a bulk transfer such as an export or an image save, where the source has more data
 * ready than the buffer holds: 8x fewer read/write/flush rounds), and a stream of unknown length
 * (events, logs, stats, a hijacked session) falls back to {@link #STREAM_BUFFER_SIZE} as soon as a
 * read fills less than a quarter of it, so the thousands of idle streams a proxy may hold keep 1
 * KiB each, not the 64 KiB of their last burst.
 *
 * <p>One instance per connection, used by its connection thread only: the {@link #BUFFER_SIZE}
 * buffer for bodies of known length is allocated on the connection's first such copy and reused by
 * every later one (a keep-alive client making thousands of small requests allocates it once).
 */
public final class StreamCopy {

    /** First buffer of a body of known length (reused across the connection's exchanges). */
    public static final int BUFFER_SIZE = 8192;

    /** First and idle buffer of a stream of unknown length and of each direction of a tunnel. */
    public static final int STREAM_BUFFER_SIZE = 1024;

    /** Largest buffer a copy grows to. */
    public static final int MAX_BUFFER_SIZE = 65536;

    /** Thrown when reading the source failed (as opposed to writing the destination). */
    public static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private byte[] reusable;

    /** The connection's {@link #BUFFER_SIZE} buffer for bodies of known length, made once. */
    private byte[] buffer() {
        if (reusable == null) {
            reusable = new byte[BUFFER_SIZE];
        }
        return reusable;
    }

    /**
     * Copies until end of stream, adding the bytes copied so far to {@code counter[0]}. Read
     * failures are wrapped in {@link SourceException}, write failures are thrown as they are.
     *
     * @param knownLength whether the body has a length (then the connection's reusable buffer is
     *     used and kept); otherwise the copy starts small and shrinks back when the stream goes
     *     quiet
     */
    public void copy(InputStream in, OutputStream out, long[] counter, boolean knownLength)
            throws IOException {
        byte[] buf;
        if (knownLength) {
            buf = buffer();
        } else {
            buf = new byte[STREAM_BUFFER_SIZE];
        }
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new SourceException(e);
            }
            if (n < 0) {
                return;
            }
            if (n > 0) {
                out.write(buf, 0, n);
                if (!knownLength) {
                    out.flush(); // a stream: deliver each piece now; a finite body is flushed
                    // at its end
                }
                counter[0] += n;
                buf = adapt(buf, n, !knownLength);
            }
        }
    }

    /**
     * The buffer for the next read after one of {@code n} bytes into {@code buf}: twice as large
     * when the read filled it (up to {@link #MAX_BUFFER_SIZE}); when {@code shrink}, back to {@link
     * #STREAM_BUFFER_SIZE} when the read filled less than a quarter of a larger buffer.
     */
    static byte[] adapt(byte[] buf, int n, boolean shrink) {
        if (n == buf.length && buf.length < MAX_BUFFER_SIZE) {
            return new byte[buf.length * 2];
        }
        if (shrink && buf.length > STREAM_BUFFER_SIZE && n < buf.length / 4) {
            return new byte[STREAM_BUFFER_SIZE];
        }
        return buf;
    }
}
