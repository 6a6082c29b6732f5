package dev.dockerproxy.policy;

import java.util.Objects;

/**
 * One Docker Engine API route, classified. Immutable and thread-safe.
 *
 * @param id stable endpoint id, e.g. {@code containers.create}, {@code exec.start}
 * @param method the HTTP method the daemon registers the route for
 * @param template the daemon's route template, e.g. {@code /containers/{name:.*}/json}
 * @param section the Tecnativa-style section the endpoint belongs to
 * @param access how dangerous the endpoint is
 * @param hijack whether the daemon may switch the connection to a raw stream for this endpoint
 *     (attach, attach/ws, exec start, BuildKit session/grpc)
 */
public record Endpoint(
        String id,
        String method,
        String template,
        Section section,
        AccessClass access,
        boolean hijack) {

    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(access, "access");
    }

    /** {@code id (SECTION, access)}: the form used in denial messages. */
    public String describe() {
        return id + " (" + section + ", " + access.id() + ")";
    }
}
