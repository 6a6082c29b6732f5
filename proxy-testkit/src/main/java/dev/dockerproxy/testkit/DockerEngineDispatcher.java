package dev.dockerproxy.testkit;

import dev.dockerproxy.testkit.internal.CannedEngine;
import dev.dockerproxy.testkit.internal.RouteTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Answers like a Docker Engine 20.10 (API 1.41) with one running container ({@code fake-web}), one
 * image ({@code local/busybox:latest}), the {@code none} and {@code host} networks and one volume:
 * enough for {@code docker version}, {@code ps}, {@code images}, {@code info}, {@code network ls},
 * {@code volume ls}, {@code inspect} and {@code events}. Any {@code /vX.Y} prefix is accepted.
 * Every other route gets Docker's {@code 404 {"message":"page not found"}}.
 *
 * <p>Add or override routes with {@link #builder()}: routes added there are tried first, in order.
 *
 * <pre>{@code
 * daemon.setDispatcher(DockerEngineDispatcher.builder()
 *     .route("POST", "/containers/{id}/exec", FakeResponse.json(201, "{\"Id\":\"exec1\"}"))
 *     .build());
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class DockerEngineDispatcher implements Dispatcher {

    /** Docker's answer to a route it does not have. */
    static final FakeResponse PAGE_NOT_FOUND = FakeResponse.error(404, "page not found");

    private static final FakeResponse PING =
            FakeResponse.builder()
                    .setHeader("Content-Type", "text/plain; charset=utf-8")
                    .setHeader("Cache-Control", "no-cache, no-store, must-revalidate")
                    .setHeader("Pragma", "no-cache")
                    .body("OK")
                    .build();
    private static final FakeResponse PING_HEAD = PING.newBuilder().body(new byte[0]).build();
    private static final FakeResponse EVENTS = FakeResponse.eventStream();

    private final List<Route> routes;

    private DockerEngineDispatcher(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The engine with only the canned routes. */
    public DockerEngineDispatcher() {
        this(List.of());
    }

    /** A builder for an engine with extra routes tried before the canned ones. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FakeResponse dispatch(RecordedRequest request) {
        for (Route route : routes) {
            if (route.method.equals(request.method()) && route.template.matches(request.path())) {
                return Objects.requireNonNull(
                        route.responder.apply(request),
                        () -> "route " + route + " returned null for " + request);
            }
        }
        return canned(request);
    }

    private static FakeResponse canned(RecordedRequest r) {
        String path = r.path();
        String m = r.method();
        if (path.equals("/_ping")) {
            if (m.equals("GET")) {
                return PING;
            }
            if (m.equals("HEAD")) {
                return PING_HEAD;
            }
        }
        if (!m.equals("GET")) {
            return PAGE_NOT_FOUND;
        }
        switch (path) {
            case "/version":
                return json(CannedEngine.VERSION);
            case "/info":
                return json(CannedEngine.INFO);
            case "/containers/json":
                return json(CannedEngine.CONTAINERS);
            case "/images/json":
                return json(CannedEngine.IMAGES);
            case "/networks":
                return json(CannedEngine.NETWORKS);
            case "/volumes":
                return json(CannedEngine.VOLUMES);
            case "/events":
                return EVENTS;
            default:
                break;
        }
        if (path.startsWith("/containers/") && path.endsWith("/json")) {
            String id = path.substring("/containers/".length(), path.length() - "/json".length());
            String inspect = CannedEngine.inspectContainer(id);
            return inspect != null
                    ? json(inspect)
                    : FakeResponse.error(404, "No such container: " + id);
        }
        if (path.startsWith("/networks/")) {
            String network = CannedEngine.inspectNetwork(path.substring("/networks/".length()));
            return network != null
                    ? json(network)
                    : FakeResponse.error(
                            404, "network " + path.substring("/networks/".length()) + " not found");
        }
        return PAGE_NOT_FOUND;
    }

    private static FakeResponse json(String body) {
        return FakeResponse.json(200, body);
    }

    @Override
    public String toString() {
        return "DockerEngineDispatcher" + routes;
    }

    private static final class Route {
        final String method;
        final RouteTemplate template;
        final Function<RecordedRequest, FakeResponse> responder;

        Route(
                String method,
                RouteTemplate template,
                Function<RecordedRequest, FakeResponse> responder) {
            this.method = method;
            this.template = template;
            this.responder = responder;
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Builds a {@link DockerEngineDispatcher}. Not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {}

        /**
         * Answers {@code method path} with {@code response}. {@code path} is a canonical path (no
         * {@code /vX.Y} prefix) where {@code {name}} matches one non-empty segment, e.g. {@code
         * /containers/{id}/json}.
         */
        public Builder route(String method, String path, FakeResponse response) {
            Objects.requireNonNull(response, "response");
            return route(method, path, request -> response);
        }

        /**
         * Answers {@code method path} with whatever {@code responder} computes from the request.
         */
        public Builder route(
                String method, String path, Function<RecordedRequest, FakeResponse> responder) {
            routes.add(
                    new Route(
                            Objects.requireNonNull(method, "method"),
                            RouteTemplate.parse(path),
                            Objects.requireNonNull(responder, "responder")));
            return this;
        }

        /** The immutable dispatcher. */
        public DockerEngineDispatcher build() {
            return new DockerEngineDispatcher(routes);
        }
    }
}
