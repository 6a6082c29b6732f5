package dev.dockerproxy.server;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished request/response exchange, enough for an access-log line. Immutable.
 *
 * @param started when the request head was read
 * @param client who sent it
 * @param method the request method as received
 * @param target the target forwarded upstream, or for a request that was not forwarded the raw
 *     target with control characters escaped
 * @param decision the policy's decision
 * @param status the status the client received ({@code 101} for a tunnel)
 * @param bytesIn request body bytes read from the client (tunnel: bytes client to daemon)
 * @param bytesOut response body bytes sent to the client (tunnel: bytes daemon to client)
 * @param durationNanos from head read to last byte
 * @param tunnelled whether the exchange became a raw hijack stream
 */
public record Exchange(
        Instant started,
        ClientIdentity client,
        String method,
        String target,
        Decision decision,
        int status,
        long bytesIn,
        long bytesOut,
        long durationNanos,
        boolean tunnelled) {

    public Exchange {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(decision, "decision");
    }

    /** The endpoint id the request was classified as, e.g. {@code containers.list}. */
    public String endpointId() {
        return decision.endpointId();
    }

    /** The name of the deciding rule. */
    public String ruleName() {
        return decision.rule().name();
    }
}
