package dev.dockerproxy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 messages from raw bytes, for both ends of a wire test. Strict about framing: a
 * stream that ends inside a head, a body or a chunk throws {@link EOFException} (it was cut, not
 * finished); only a clean end before a message returns {@code null}.
 */
public final class WireReader {

    private final InputStream in;

    /** Reads from {@code in}; give it a buffered stream for bulk bodies. */
    public WireReader(InputStream in) {
        this.in = in;
    }

    /** One message head up to and including CRLFCRLF, or {@code null} at a clean EOF. */
    public String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    return null;
                }
                throw new EOFException(
                        "EOF inside a head: " + b.toString(StandardCharsets.ISO_8859_1));
            }
            b.write(c);
            state =
                    (c == '\r' && (state == 0 || state == 2))
                                    || (c == '\n' && (state == 1 || state == 3))
                            ? state + 1
                            : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Exactly {@code n} bytes. */
    public byte[] readExactly(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too large to hold: " + n);
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new EOFException("EOF after " + b.length + " of " + n + " body bytes");
        }
        return b;
    }

    /**
     * A LF-terminated line without its CRLF (or LF), or {@code null} at a clean EOF before any
     * byte.
     */
    public String readLine() throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (s.length() == 0) {
                    return null;
                }
                throw new EOFException("EOF inside a line: " + s);
            }
            if (c == '\n') {
                int len = s.length();
                return len > 0 && s.charAt(len - 1) == '\r'
                        ? s.substring(0, len - 1)
                        : s.toString();
            }
            s.append((char) c);
        }
    }

    /**
     * Reads one chunk of a chunked body: its data, or {@code null} for the last chunk (trailers
     * read).
     */
    public byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new EOFException("EOF between chunks (no terminating chunk)");
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            while (!requireLine().isEmpty()) {
                // skip trailers
            }
            return null;
        }
        byte[] data = readExactly(size);
        if (!requireLine().isEmpty()) {
            throw new IOException("no CRLF after a chunk of " + size + " bytes");
        }
        return data;
    }

    private String requireLine() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new EOFException("EOF inside a chunked body");
        }
        return line;
    }

    /**
     * Reads a chunked body and returns the size of each of its chunks, as they were framed on the
     * wire.
     */
    public List<Integer> readChunkSizes() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            sizes.add(chunk.length);
        }
        return sizes;
    }

    public byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            b.write(chunk);
        }
        return b.toByteArray();
    }

    public byte[] readToEof() throws IOException {
        return in.readAllBytes();
    }

    /**
     * Reads the body that follows {@code head} in a request or a response (not for
     * HEAD/1xx/204/304).
     */
    public byte[] readBody(String head, boolean untilEofIfUnframed) throws IOException {
        Map<String, String> h = headers(head);
        if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
            return readChunkedBody();
        }
        if (h.containsKey("content-length")) {
            return readExactly(Long.parseLong(h.get("content-length")));
        }
        return untilEofIfUnframed ? readToEof() : new byte[0];
    }

    /**
     * Header names (lower case) to values of a head, in order; a repeated header's values are
     * joined with {@code ", "}.
     */
    public static Map<String, String> headers(String head) {
        Map<String, String> h = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.merge(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return h;
    }

    /** The status code of a response head. */
    public static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }
}
