package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.HttpVersion;

/**
 * How a request body is delimited, validated strictly (RFC 9112 section 6): the proxy re-frames
 * every body itself, and refuses any head on which two parsers could disagree. Immutable.
 */
public final class RequestFraming {

    /** No body. */
    public static final RequestFraming NONE = new RequestFraming(0, false);

    private final long length;
    private final boolean chunked;

    private RequestFraming(long length, boolean chunked) {
        this.length = length;
        this.chunked = chunked;
    }

    /**
     * The framing of {@code request}.
     *
     * @throws BadRequestException 400 for conflicting, duplicate, negative, non-numeric or
     *     unparseable lengths and for any transfer-coding other than a single {@code chunked}; 413
     *     when the declared length exceeds {@code maxBody}
     */
    public static RequestFraming of(HttpMessage request, long maxBody) throws BadRequestException {
        Header[] te = request.getHeaders("Transfer-Encoding");
        Header[] cl = request.getHeaders("Content-Length");
        if (te.length > 0) {
            if (cl.length > 0) {
                throw bad("both Content-Length and Transfer-Encoding are present; send only one");
            }
            if (te.length > 1 || !"chunked".equalsIgnoreCase(te[0].getValue().trim())) {
                throw bad("unsupported Transfer-Encoding; only a single 'chunked' is accepted");
            }
            if (HttpVersion.HTTP_1_0.equals(request.getVersion())) {
                throw bad("Transfer-Encoding is not allowed in an HTTP/1.0 request");
            }
            return new RequestFraming(-1, true);
        }
        if (cl.length == 0) {
            return NONE;
        }
        if (cl.length > 1) {
            throw bad("more than one Content-Length header");
        }
        String value = cl[0].getValue().trim();
        if (value.isEmpty()
                || value.length() > 18
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad("invalid Content-Length; it must be a non-negative decimal number");
        }
        long length = Long.parseLong(value);
        if (length > maxBody) {
            throw new BadRequestException(
                    413,
                    "request body of "
                            + length
                            + " bytes exceeds the limit of "
                            + maxBody
                            + " bytes");
        }
        return length == 0 ? NONE : new RequestFraming(length, false);
    }

    /** A body of exactly {@code length} bytes (the proxy's own re-framing of a checked body). */
    public static RequestFraming ofLength(long length) {
        return length == 0 ? NONE : new RequestFraming(length, false);
    }

    /** Whether the request carries a body the proxy must read (and forward or discard). */
    public boolean hasBody() {
        return chunked || length > 0;
    }

    public boolean chunked() {
        return chunked;
    }

    /** The declared length, or {@code -1} when chunked. */
    public long length() {
        return length;
    }

    private static BadRequestException bad(String message) {
        return new BadRequestException(400, message);
    }
}
