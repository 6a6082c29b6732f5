package dev.dockerproxy.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A request target in the one form every rule sees and the proxy forwards: the method, the path
 * decoded exactly once (as the daemon decodes it), the optional API version prefix and the raw
 * query. Built only by {@link RequestCanonicalizer}, which refuses ambiguous input, so a {@code
 * CanonicalRequest} always holds a path with no dot segments, no empty segments, no encoded
 * separators and only characters that need no encoding. Immutable and thread-safe.
 *
 * @param method the request method, upper case, e.g. {@code GET}
 * @param rawTarget the request target as the client sent it
 * @param apiVersion the version of a {@code /vX.Y} prefix, e.g. {@code 1.41}, or {@code null}
 * @param path the decoded path without the version prefix, e.g. {@code /containers/json}
 * @param query the raw query (without {@code ?}), or {@code null} when there was none
 */
public record CanonicalRequest(
        String method, String rawTarget, String apiVersion, String path, String query) {

    public CanonicalRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawTarget, "rawTarget");
        Objects.requireNonNull(path, "path");
    }

    /** The API version of the prefix, if the target had one. */
    public Optional<String> version() {
        return Optional.ofNullable(apiVersion);
    }

    /** The path with its version prefix, e.g. {@code /v1.41/containers/json}. */
    public String versionedPath() {
        return apiVersion == null ? path : "/v" + apiVersion + path;
    }

    /**
     * The exact request target the proxy sends upstream: the canonical (decoded) path, which by
     * construction needs no percent-encoding, with the version prefix and the raw query.
     */
    public String forwardTarget() {
        if (rawTargetIsForwardTarget()) {
            return rawTarget; // the usual case: the client sent the canonical form; no new string
        }
        return query == null ? versionedPath() : versionedPath() + "?" + query;
    }

    /**
     * Whether {@code rawTarget} already spells {@code /v<apiVersion><path>[?<query>]}, character
     * for character.
     */
    private boolean rawTargetIsForwardTarget() {
        int at = 0;
        if (apiVersion != null) {
            if (!rawTarget.startsWith("/v") || !rawTarget.startsWith(apiVersion, 2)) {
                return false;
            }
            at = 2 + apiVersion.length();
        }
        if (!rawTarget.startsWith(path, at)) {
            return false;
        }
        at += path.length();
        if (query == null) {
            return at == rawTarget.length();
        }
        return rawTarget.length() == at + 1 + query.length()
                && rawTarget.charAt(at) == '?'
                && rawTarget.startsWith(query, at + 1);
    }
}
