package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.ProtocolException;

/**
 * A request the proxy refuses before judging it: bad framing, a malformed head, a head too large.
 * The message is safe to send to the client (it never contains raw request bytes).
 */
public final class BadRequestException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 400, 413 or 431. */
    public int status() {
        return status;
    }
}
