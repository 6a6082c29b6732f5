package dev.dockerproxy.server;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;

/**
 * Observes what the proxy does: every connection, every decision, every completed exchange and
 * every upstream failure. All methods default to doing nothing; implement the ones you need.
 *
 * <p>Methods are called on connection threads, concurrently for different connections; they must be
 * thread-safe, fast and must not throw (an exception is logged and otherwise ignored).
 */
public interface ProxyListener {

    /** A listener that ignores everything. */
    ProxyListener NO_OP = new ProxyListener() {};

    /** A client connected on {@code listener}. */
    default void connectionOpened(ClientIdentity client, ListenAddress listener) {}

    /** A client connection ended; byte counts are totals for the connection. */
    default void connectionClosed(
            ClientIdentity client, long bytesFromClient, long bytesToClient) {}

    /** The policy judged a request head. {@code nanos} is the time the decision took. */
    default void decisionMade(
            ClientIdentity client,
            String method,
            String rawTarget,
            Decision decision,
            long nanos) {}

    /** One request/response exchange finished (denied, answered, failed or tunnelled). */
    default void exchangeCompleted(Exchange exchange) {}

    /** The daemon could not be reached or failed mid-exchange. */
    default void upstreamError(ClientIdentity client, UpstreamAddress upstream, Exception error) {}

    /**
     * A client sent something the proxy refused before judging it (bad framing, header too big,
     * header timeout, connection limit). {@code reason} is safe to log (no raw bytes).
     */
    default void clientError(ClientIdentity client, int status, String reason) {}

    /** Something an operator should know that did not stop the proxy (e.g. IPv6 not available). */
    default void warning(String message) {}
}
