package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Relays a daemon's {@code Transfer-Encoding: chunked} body chunk for chunk: each daemon chunk is
 * written to the client's framing stream in one write, so it leaves as one chunk (a chunk larger
 * than {@link StreamCopy#MAX_BUFFER_SIZE} leaves in pieces of that size), and the client is flushed
 * when no more of the daemon's bytes are buffered. A stream ({@code /events}, {@code logs -f})
 * delivers each chunk as it arrives; a download ({@code docker cp}, export, save) keeps the
 * daemon's 32 KiB chunks instead of the small pieces that reads through HttpCore's decoder give
 * (the session buffer splits every chunk at its header, and each piece was flushed as a chunk of
 * its own).
 *
 * <p>Reads the raw bytes after the response head in reads as large as the buffer, parses the chunk
 * framing strictly (hex size, optional extensions, CRLF; trailers are read and dropped) and ends
 * after the last chunk (the daemon sends nothing more until the next request, so the connection
 * stays usable). The buffer grows to hold a whole chunk (up to {@link StreamCopy#MAX_BUFFER_SIZE})
 * and shrinks back to {@link StreamCopy#STREAM_BUFFER_SIZE} when the stream goes quiet with small
 * chunks, so thousands of idle event streams keep 1 KiB each. A malformed body is a {@link
 * StreamCopy.SourceException}: the daemon failed, and the client's body is cut, never completed.
 * One per response; not thread-safe.
 */
final class ChunkedRelay {

    /** The longest chunk-size or trailer line accepted. */
    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private byte[] buf = new byte[StreamCopy.STREAM_BUFFER_SIZE];
    private int start;
    private int end;

    /**
     * @param in the daemon's bytes after the response head
     */
    ChunkedRelay(InputStream in) {
        this.in = in;
    }

    /**
     * Copies the body to {@code out}, adding the payload bytes copied to {@code counter[0]}.
     *
     * @throws StreamCopy.SourceException when the daemon's body cannot be read or is not valid
     *     chunking
     */
    void copy(OutputStream out, long[] counter) throws IOException {
        while (true) {
            long size = chunkSize(line());
            if (size == 0) {
                while (!line().isEmpty()) {
                    // a trailer field: not forwarded
                }
                return; // the caller ends the body (the last chunk) and flushes it with what is
                // gathered
            }
            long chunk = size;
            while (size > 0) {
                fill(Math.min(size, StreamCopy.MAX_BUFFER_SIZE));
                int n = (int) Math.min(size, end - start);
                out.write(buf, start, n);
                start += n;
                size -= n;
                counter[0] += n;
            }
            if (!line().isEmpty()) {
                throw malformed("chunk data longer than its size");
            }
            if (start == end) {
                out.flush(); // nothing more from the daemon right now: deliver what it sent
                if (buf.length > StreamCopy.STREAM_BUFFER_SIZE && chunk < buf.length / 4) {
                    buf = new byte[StreamCopy.STREAM_BUFFER_SIZE]; // quiet, with small chunks: a
                    // stream
                    start = 0;
                    end = 0;
                }
            }
        }
    }

    /** Buffers at least {@code wanted} bytes: grows the buffer to hold them, compacts, reads. */
    private void fill(long wanted) throws IOException {
        if (end - start >= wanted) {
            return;
        }
        if (buf.length < wanted) {
            byte[] larger =
                    new byte
                            [(int)
                                    Math.min(
                                            StreamCopy.MAX_BUFFER_SIZE,
                                            Math.max(wanted, (long) buf.length * 2))];
            System.arraycopy(buf, start, larger, 0, end - start);
            buf = larger;
            end -= start;
            start = 0;
        } else if (buf.length - start < wanted) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end - start < wanted) {
            int n;
            try {
                n = in.read(buf, end, buf.length - end);
            } catch (IOException e) {
                throw new StreamCopy.SourceException(e);
            }
            if (n < 0) {
                throw malformed("an end before its last chunk");
            }
            end += n;
        }
    }

    /** One CRLF-terminated line, without the CRLF. */
    private String line() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = start + Math.max(0, scanned - 1); i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 2;
                    return line;
                }
            }
            scanned = end - start;
            if (scanned >= MAX_LINE) {
                throw malformed("a chunk line longer than " + MAX_LINE + " bytes");
            }
            fill(scanned + 1);
        }
    }

    private static long chunkSize(String line) throws StreamCopy.SourceException {
        int semi = line.indexOf(';');
        String hex = semi < 0 ? line : line.substring(0, semi);
        if (hex.isEmpty() || hex.length() > 15) {
            throw malformed("an invalid chunk size");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw malformed("an invalid chunk size");
            }
            size = size * 16 + d;
        }
        return size;
    }

    private static StreamCopy.SourceException malformed(String what) {
        return new StreamCopy.SourceException(
                new IOException("the daemon's chunked body has " + what));
    }
}
