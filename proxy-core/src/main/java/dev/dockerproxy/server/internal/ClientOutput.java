package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The client socket's output: counts the bytes written and gathers them until {@link #flush()}, so
 * an answer goes out in as few writes as it can: a response head with a small body, or with a
 * daemon chunk and the last chunk, leaves in one {@code write(2)} instead of one per piece
 * HttpCore's framing writes. Writes larger than the buffer go straight to the socket (after what is
 * gathered). Every relay flushes when an answer ends and whenever a stream has delivered what the
 * daemon sent so far, so gathering never delays a stream.
 *
 * <p>The buffer is allocated on the first write and kept for the connection (one per connection,
 * like HttpCore's session buffers). Used by the connection thread only, except that a hijack
 * tunnel's daemon-to-client loop becomes its sole writer.
 */
final class ClientOutput extends OutputStream {

    /** Large enough for a head with a typical JSON answer ({@code docker ps}, {@code inspect}). */
    static final int BUFFER_SIZE = 16 * 1024;

    /** The first size of the buffer, enough for a head and a small answer. */
    static final int INITIAL_SIZE = 1024;

    private final OutputStream socket;
    private byte[] buf;
    private int count;
    private volatile long written;

    ClientOutput(OutputStream socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= BUFFER_SIZE) {
            drain();
            socket.write(b, off, len);
        } else {
            if (buf == null || buf.length - count < len) {
                makeRoom(len);
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
        written += len;
    }

    /**
     * Room for {@code len} more bytes: the buffer starts at {@link #INITIAL_SIZE} and doubles up to
     * {@link #BUFFER_SIZE} as answers need it (so an idle stream that only ever sent a head keeps 1
     * KiB); when it is full at that size, what it holds is sent.
     */
    private void makeRoom(int len) throws IOException {
        int needed = count + len;
        if (buf == null) {
            buf =
                    new byte
                            [Math.min(
                                    BUFFER_SIZE,
                                    Math.max(INITIAL_SIZE, Integer.highestOneBit(needed) * 2))];
        } else if (buf.length < BUFFER_SIZE) {
            buf =
                    Arrays.copyOf(
                            buf,
                            Math.min(
                                    BUFFER_SIZE,
                                    Math.max(buf.length * 2, Integer.highestOneBit(needed) * 2)));
        }
        if (buf.length - count < len) {
            drain();
        }
    }

    /** Sends what was gathered. */
    @Override
    public void flush() throws IOException {
        drain();
        socket.flush();
    }

    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            socket.write(buf, 0, n);
        }
    }

    /** Bytes written so far (gathered ones included). */
    long count() {
        return written;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
