package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a stream with a flush after every read, so each piece of data reaches the peer as soon as
 * it arrives (an event, a log line, a frame). The buffer starts small and doubles, up to
 * {@link #MAX_BUFFER_SIZE}, only while reads fill it completely (a bulk transfer such as an export
 * or image save, where the source has more data ready than the buffer holds): an idle or trickling
 * stream keeps the small buffer, a bulk one needs 8x fewer read/write/flush rounds. Memory is
 * bounded by the largest buffer.
 *
 * <p>One instance per connection, used by its connection thread only: the first buffer is allocated on
 * the connection's first copy and reused by every later one (a keep-alive client making thousands of
 * small requests allocates it once); the larger buffers of a bulk transfer are dropped when it ends.
 */
public final class StreamCopy {

    /** Buffer size for body and tunnel copies (the first buffer of a body copy). */
    public static final int BUFFER_SIZE = 8192;

    /** Largest buffer a body copy grows to. */
    public static final int MAX_BUFFER_SIZE = 65536;

    /** Thrown when reading the source failed (as opposed to writing the destination). */
    public static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private byte[] reusable;

    /**
     * Copies until end of stream, adding the bytes copied so far to {@code counter[0]}. Read failures
     * are wrapped in {@link SourceException}, write failures are thrown as they are.
     */
    public void copy(InputStream in, OutputStream out, long[] counter) throws IOException {
        if (reusable == null) {
            reusable = new byte[BUFFER_SIZE];
        }
        byte[] buf = reusable;
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
                out.flush();
                counter[0] += n;
                if (n == buf.length && buf.length < MAX_BUFFER_SIZE) {
                    buf = new byte[buf.length * 2];
                }
            }
        }
    }
}
