package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * A strict HTTP/1.x request-head parser (RFC 9112), replacing HttpCore's lenient default, which
 * accepts bare LF line ends, folded (obs-fold) header lines and control characters such as NUL in
 * values (HttpCoreLeniencyTest shows each). Each of those is a request-smuggling vector when the
 * daemon reads the bytes differently, so here each is a 400.
 *
 * <p>Reads byte by byte from HttpCore's session buffer, so bytes after the head stay buffered for
 * the body parser or the tunnel. Enforces the head size limit, and a total time budget for the head
 * once its first byte arrived (through {@link ClientInput#setDeadline(long)}). One instance per
 * connection (its line buffer grows on demand up to the head limit, so idle connections stay
 * small); not thread-safe.
 */
public final class StrictRequestParser implements HttpMessageParser<ClassicHttpRequest> {

    private static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final int MAX_HEADERS = 256;

    private final ClientInput clientInput;
    private final long headerTimeoutNanos;
    private final int idleTimeoutMillis;
    private final int maxHeaderSize;
    private byte[] line = new byte[256];
    private int headBytes;
    private boolean headStarted;

    public StrictRequestParser(
            ClientInput clientInput,
            long headerTimeoutNanos,
            int idleTimeoutMillis,
            int maxHeaderSize) {
        this.clientInput = clientInput;
        this.headerTimeoutNanos = headerTimeoutNanos;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.maxHeaderSize = maxHeaderSize;
    }

    /** Whether the last parse call had received at least one byte of a head. */
    public boolean headStarted() {
        return headStarted;
    }

    @Override
    public ClassicHttpRequest parse(SessionInputBuffer buffer, InputStream in)
            throws IOException, HttpException {
        headBytes = 0;
        headStarted = false;
        clientInput.setReadTimeout(idleTimeoutMillis);
        int first = buffer.read(in);
        if (first == -1) {
            return null;
        }
        headStarted = true;
        clientInput.setDeadline(System.nanoTime() + headerTimeoutNanos);
        try {
            return parseHead(buffer, in, first);
        } finally {
            clientInput.setReadTimeout(0);
        }
    }

    private ClassicHttpRequest parseHead(SessionInputBuffer buffer, InputStream in, int first)
            throws IOException, HttpException {
        int len = readLine(buffer, in, first);
        int empty = 0;
        while (len == 0) {
            if (++empty > MAX_LEADING_EMPTY_LINES) {
                throw bad("too many empty lines before the request line");
            }
            len = readLine(buffer, in, -2);
        }
        ProxyRequest request = parseRequestLine(len);
        int count = 0;
        while (true) {
            len = readLine(buffer, in, -2);
            if (len == 0) {
                break;
            }
            if (++count > MAX_HEADERS) {
                throw new BadRequestException(
                        431, "too many header fields (more than " + MAX_HEADERS + ")");
            }
            request.addHeader(parseHeaderLine(len));
        }
        return request;
    }

    /** Reads one CRLF-terminated line into {@link #line}; returns its length without CRLF. */
    private int readLine(SessionInputBuffer buffer, InputStream in, int firstByte)
            throws IOException, HttpException {
        int len = 0;
        int b = firstByte == -2 ? buffer.read(in) : firstByte;
        while (true) {
            if (b == -1) {
                throw bad("connection closed in the middle of the request head");
            }
            if (++headBytes > maxHeaderSize) {
                throw new BadRequestException(
                        431, "request head larger than " + maxHeaderSize + " bytes");
            }
            if (b == '\r') {
                int next = buffer.read(in);
                headBytes++;
                if (next != '\n') {
                    throw bad("CR not followed by LF in the request head");
                }
                return len;
            }
            if (b == '\n') {
                throw bad("bare LF line ending in the request head; HTTP requires CRLF");
            }
            if (len == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(maxHeaderSize, line.length * 2));
            }
            line[len++] = (byte) b;
            b = buffer.read(in);
        }
    }

    private ProxyRequest parseRequestLine(int len) throws HttpException {
        int sp1 = indexOf(' ', 0, len);
        int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, len);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOf(' ', sp2 + 1, len) >= 0) {
            throw bad("malformed request line; expected METHOD SP TARGET SP HTTP/1.1");
        }
        for (int i = 0; i < sp1; i++) {
            if (!isTchar(line[i])) {
                throw bad("invalid character in the request method");
            }
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int c = line[i] & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                throw bad(
                        "invalid character in the request target (control, space or non-ASCII byte)");
            }
        }
        String version = ascii(sp2 + 1, len);
        HttpVersion v;
        if ("HTTP/1.1".equals(version)) {
            v = HttpVersion.HTTP_1_1;
        } else if ("HTTP/1.0".equals(version)) {
            v = HttpVersion.HTTP_1_0;
        } else {
            throw new BadRequestException(
                    version.startsWith("HTTP/") ? 505 : 400,
                    "unsupported protocol version; the proxy speaks HTTP/1.1 and HTTP/1.0");
        }
        return new ProxyRequest(ascii(0, sp1), ascii(sp1 + 1, sp2), v);
    }

    private Header parseHeaderLine(int len) throws HttpException {
        if (line[0] == ' ' || line[0] == '\t') {
            throw bad("folded header line (obs-fold) is not accepted");
        }
        int colon = indexOf(':', 0, len);
        if (colon <= 0) {
            throw bad("header line without a field name and colon");
        }
        for (int i = 0; i < colon; i++) {
            if (!isTchar(line[i])) {
                throw bad(
                        "invalid character in a header field name (whitespace before ':' is not allowed)");
            }
        }
        int start = colon + 1;
        int end = len;
        while (start < end && (line[start] == ' ' || line[start] == '\t')) {
            start++;
        }
        while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        for (int i = start; i < end; i++) {
            int c = line[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw bad("control character (NUL, CR or other) in a header field value");
            }
        }
        return new BasicHeader(
                ascii(0, colon), new String(line, start, end - start, StandardCharsets.ISO_8859_1));
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isTchar(byte b) {
        return isTchar(b & 0xff);
    }

    /**
     * Whether {@code c} may appear in a token (RFC 9110 section 5.6.2): a field name or a method.
     */
    static boolean isTchar(int c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return true;
        }
        return c < 0x7f && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static BadRequestException bad(String message) {
        return new BadRequestException(400, message);
    }
}
