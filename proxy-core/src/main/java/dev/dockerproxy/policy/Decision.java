package dev.dockerproxy.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one request. Immutable and thread-safe.
 *
 * @param allowed  whether the request may reach the daemon
 * @param status   {@code 200} when allowed; otherwise the status to answer with:
 *                 {@code 403} policy, {@code 405} a method this policy never allows,
 *                 {@code 400} a malformed or ambiguous request
 * @param message  a human sentence: what was decided, by which rule, and for a denial which
 *                 setting would allow it; safe to show to clients (never echoes raw control bytes)
 * @param request  the canonical request, or {@code null} when the target could not be canonicalised
 * @param endpoint the endpoint the request was classified as, or {@code null} when unknown
 * @param rule     the rule that decided, with its source; for a default denial, the built-in rule
 */
public record Decision(boolean allowed, int status, String message, CanonicalRequest request,
                       Endpoint endpoint, RuleRef rule) {

    public Decision {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(rule, "rule");
        if (allowed && (request == null || endpoint == null)) {
            throw new IllegalArgumentException("an allowed decision needs a canonical request and an endpoint");
        }
    }

    /** The endpoint, when the request was classified. */
    public Optional<Endpoint> classifiedAs() {
        return Optional.ofNullable(endpoint);
    }

    /** The canonical request, when the target was well formed. */
    public Optional<CanonicalRequest> canonical() {
        return Optional.ofNullable(request);
    }

    /** The endpoint id, or {@code "unknown"} / {@code "malformed"}. */
    public String endpointId() {
        if (endpoint != null) {
            return endpoint.id();
        }
        return request == null ? "malformed" : "unknown";
    }
}
