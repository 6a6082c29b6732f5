package dev.dockerproxy.server.internal;

/**
 * How one exchange ended, for the access log and for the connection loop. Made through the named
 * factories.
 *
 * @param status the status sent to the client ({@code 499} when the client went away first)
 * @param bytesIn body bytes from the client (tunnel: client to daemon)
 * @param bytesOut body bytes to the client (tunnel: daemon to client)
 * @param after what the connection does next
 * @param tunnelled whether the exchange became a hijack tunnel
 */
record Outcome(int status, long bytesIn, long bytesOut, After after, boolean tunnelled) {

    /**
     * The status logged when the client went away before its answer was complete (nginx's
     * convention).
     */
    static final int CLIENT_GONE = 499;

    /** What the connection does after an exchange. */
    enum After {
        /** Read the next request. */
        KEEP_ALIVE,
        /** Close now. */
        CLOSE,
        /**
         * Close after an error answer while the client may still be sending (an unread body, a bad
         * head): shut output, discard input briefly, then close, so the client reads the answer
         * instead of a reset.
         */
        LINGER_AND_CLOSE
    }

    /** An answer was sent completely. */
    static Outcome answered(int status, long bytesIn, long bytesOut, After after) {
        return new Outcome(status, bytesIn, bytesOut, after, false);
    }

    /** The client went away (or its connection failed) before its answer was complete. */
    static Outcome clientGone(long bytesIn, long bytesOut) {
        return new Outcome(CLIENT_GONE, bytesIn, bytesOut, After.CLOSE, false);
    }

    /** An answer was cut short: its status went out, not all of its body; the connection closes. */
    static Outcome cut(int status, long bytesIn, long bytesOut) {
        return new Outcome(status, bytesIn, bytesOut, After.CLOSE, false);
    }

    /** A hijack tunnel ended. */
    static Outcome tunnelEnded(int status, long clientToDaemon, long daemonToClient) {
        return new Outcome(status, clientToDaemon, daemonToClient, After.CLOSE, true);
    }

    /** This outcome with {@code bytesIn} as the request body bytes read. */
    Outcome withBytesIn(long bytesIn) {
        return new Outcome(status, bytesIn, bytesOut, after, tunnelled);
    }
}
