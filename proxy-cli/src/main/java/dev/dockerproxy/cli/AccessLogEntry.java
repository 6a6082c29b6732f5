package dev.dockerproxy.cli;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the access log. Fields hold raw values; {@link AccessLogFormat} escapes them.
 *
 * @param time when the request head was read
 * @param client the client, e.g. {@code tcp:127.0.0.1:51234}
 * @param method the request method as received
 * @param path the target forwarded (or, when refused, the target as received)
 * @param endpoint the endpoint id, {@code unknown} or {@code malformed}
 * @param allowed whether the policy allowed the request
 * @param rule the deciding rule's name
 * @param ruleSource where the rule came from, e.g. {@code env CONTAINERS=1}
 * @param status the status the client received
 * @param bytes response bytes sent to the client
 * @param durationMs milliseconds from request head to last byte
 */
public record AccessLogEntry(
        Instant time,
        String client,
        String method,
        String path,
        String endpoint,
        boolean allowed,
        String rule,
        String ruleSource,
        int status,
        long bytes,
        long durationMs) {

    public AccessLogEntry {
        Objects.requireNonNull(time, "time");
    }
}
