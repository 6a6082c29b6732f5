package dev.dockerproxy.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one request. Immutable and thread-safe; made through {@link #allow} and {@link
 * #deny}.
 *
 * <p>Its parts: whether the request may reach the daemon ({@link #allowed()}); the status ({@code
 * 200} when allowed; otherwise the status to answer with: {@code 403} policy, {@code 405} a method
 * this policy never allows, {@code 400} a malformed or ambiguous request, {@code 413} a body over
 * its limit); a human sentence ({@link #message()}: what was decided, by which rule, and for a
 * denial which setting would allow it; safe to show to clients, never echoing raw control bytes);
 * the canonical request and the endpoint it was classified as, when known; and the rule that
 * decided, with its source (for a default denial, the built-in rule).
 */
public final class Decision {

    private final boolean allowed;
    private final int status;
    private final String message;
    private final CanonicalRequest request;
    private final Endpoint endpoint;
    private final RuleRef rule;

    private Decision(
            boolean allowed,
            int status,
            String message,
            CanonicalRequest request,
            Endpoint endpoint,
            RuleRef rule) {
        this.allowed = allowed;
        this.status = status;
        this.message = Objects.requireNonNull(message, "message");
        this.request = request;
        this.endpoint = endpoint;
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** The request, classified as {@code endpoint}, may reach the daemon: status {@code 200}. */
    public static Decision allow(
            String message, CanonicalRequest request, Endpoint endpoint, RuleRef rule) {
        return new Decision(
                true,
                200,
                message,
                Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(endpoint, "endpoint"),
                rule);
    }

    /**
     * The request is refused with {@code status} (4xx or 5xx).
     *
     * @param request the canonical request, or {@code null} when the target could not be
     *     canonicalised
     * @param endpoint the endpoint, or {@code null} when the request was not classified
     */
    public static Decision deny(
            int status, String message, CanonicalRequest request, Endpoint endpoint, RuleRef rule) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a denial answers with 4xx or 5xx, not " + status);
        }
        return new Decision(false, status, message, request, endpoint, rule);
    }

    /** A refusal before the request could be classified (bad framing, a failing policy). */
    public static Decision deny(int status, String message, RuleRef rule) {
        return deny(status, message, null, null, rule);
    }

    /** Whether the request may reach the daemon. */
    public boolean allowed() {
        return allowed;
    }

    /** {@code 200} when allowed; otherwise the status to answer with. */
    public int status() {
        return status;
    }

    /** What was decided, by which rule, and for a denial which setting would allow it. */
    public String message() {
        return message;
    }

    /** The canonical request, or {@code null} when the target could not be canonicalised. */
    public CanonicalRequest request() {
        return request;
    }

    /** The endpoint the request was classified as, or {@code null} when unknown. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The rule that decided, with its source. */
    public RuleRef rule() {
        return rule;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision d
                && allowed == d.allowed
                && status == d.status
                && message.equals(d.message)
                && Objects.equals(request, d.request)
                && Objects.equals(endpoint, d.endpoint)
                && rule.equals(d.rule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, status, message, request, endpoint, rule);
    }

    @Override
    public String toString() {
        return "Decision[allowed="
                + allowed
                + ", status="
                + status
                + ", message="
                + message
                + ", endpoint="
                + endpointId()
                + ", rule="
                + rule
                + "]";
    }
}
