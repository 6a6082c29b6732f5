package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a stream with a small buffer and a flush after every read, so each piece of data reaches
 * the peer as soon as it arrives (an event, a log line, a frame). Memory is bounded by the buffer.
 */
public final class StreamCopy {

    /** Buffer size for body and tunnel copies. */
    public static final int BUFFER_SIZE = 8192;

    /** Thrown when reading the source failed (as opposed to writing the destination). */
    public static final class SourceException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private StreamCopy() {
    }

    /**
     * Copies until end of stream, adding the bytes copied so far to {@code counter[0]}. Read failures
     * are wrapped in {@link SourceException}, write failures are thrown as they are.
     */
    public static void copy(InputStream in, OutputStream out, long[] counter) throws IOException {
        byte[] buf = new byte[BUFFER_SIZE];
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
            }
        }
    }
}
