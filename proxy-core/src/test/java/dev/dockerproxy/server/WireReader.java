package dev.dockerproxy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTTP/1.1 messages from raw bytes, for both the fake upstream and the raw test client. */
final class WireReader {

    private final InputStream in;

    WireReader(InputStream in) {
        this.in = in;
    }

    /** One message head up to and including CRLFCRLF, or {@code null} at a clean EOF. */
    String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    return null;
                }
                throw new IOException("EOF inside a head: " + b.toString(StandardCharsets.ISO_8859_1));
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (c == '\r' ? 1 : 0);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    byte[] readExactly(long n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (long i = 0; i < n; i++) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF after " + i + " of " + n + " body bytes");
            }
            b.write(c);
        }
        return b.toByteArray();
    }

    /** A CRLF-terminated line without the CRLF. */
    String readLine() throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        if (c < 0 && s.length() == 0) {
            return null;
        }
        return s.toString();
    }

    /** Reads one chunk of a chunked body: its data, or {@code null} for the last chunk (trailers read). */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new IOException("EOF before chunk size");
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                // skip trailers
            }
            return null;
        }
        byte[] data = readExactly(size);
        readLine();
        return data;
    }

    /** Reads a chunked body and returns the size of each of its chunks, as they were framed on the wire. */
    java.util.List<Integer> readChunkSizes() throws IOException {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            sizes.add(chunk.length);
        }
        return sizes;
    }

    byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            b.write(chunk);
        }
        return b.toByteArray();
    }

    byte[] readToEof() throws IOException {
        return in.readAllBytes();
    }

    /** Header names (lower case) to last values of a head. */
    static Map<String, String> headers(String head) {
        Map<String, String> h = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return h;
    }

    /** Reads the body that follows {@code head} in a request or a response (not for HEAD/1xx/204/304). */
    byte[] readBody(String head, boolean untilEofIfUnframed) throws IOException {
        Map<String, String> h = headers(head);
        if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
            return readChunkedBody();
        }
        if (h.containsKey("content-length")) {
            return readExactly(Long.parseLong(h.get("content-length")));
        }
        return untilEofIfUnframed ? readToEof() : new byte[0];
    }
}
