package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointCatalogTest {

    private final EndpointCatalog catalog = EndpointCatalog.STANDARD;

    static Stream<RouteTable.Route> routes() {
        return RouteTable.load().stream();
    }

    /** A concrete path for a template; {@code .*} variables get a name containing '/'. */
    static String instantiate(String template, boolean slashyNames) {
        return template.replace("{name:.*}", slashyNames ? "library/nginx:1.25" : "abc")
                .replace("{id:.*}", slashyNames ? "team/net" : "n1")
                .replace("{id:.+}", slashyNames ? "team/net" : "n1")
                .replace("{anyroute:.*}", "containers/json")
                .replaceAll("\\{[a-z]+}", "x1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void everyDaemonRouteIsClassifiedToItsOwnTemplate(RouteTable.Route route) {
        for (boolean slashy : new boolean[] {false, true}) {
            String path = instantiate(route.template(), slashy);
            Endpoint e = catalog.match(route.method(), path).orElse(null);
            assertThat(e).as("%s classified (path %s)", route, path).isNotNull();
            assertThat(e.template())
                    .as("%s routed to the daemon's handler", route)
                    .isEqualTo(route.template());
            assertThat(e.method()).isEqualTo(route.method());
        }
    }

    @Test
    void catalogHasExactlyTheDaemonsRoutes() {
        Set<String> fromSpec = routes().map(RouteTable.Route::toString).collect(Collectors.toSet());
        Set<String> fromCatalog =
                catalog.endpoints().stream()
                        .map(e -> e.method() + " " + e.template())
                        .collect(Collectors.toSet());
        assertThat(fromCatalog).containsExactlyInAnyOrderElementsOf(fromSpec);
        assertThat(catalog.endpoints()).hasSize(fromSpec.size());
    }

    @Test
    void endpointIdsAreUniqueExceptTheTwoNetworkListRoutes() {
        Set<String> seen = new HashSet<>();
        Set<String> dupes = new HashSet<>();
        for (Endpoint e : catalog.endpoints()) {
            if (!seen.add(e.id())) {
                dupes.add(e.id());
            }
        }
        assertThat(dupes).containsExactly("networks.list");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "GET, /containers/json, containers.list, CONTAINERS, read",
        "GET, /containers/abc/json, containers.inspect, CONTAINERS, read",
        "GET, /containers/json/json, containers.inspect, CONTAINERS, read",
        "GET, /containers/abc/logs, containers.logs, CONTAINERS, read-sensitive",
        "GET, /containers/a/logs/json, containers.inspect, CONTAINERS, read",
        "GET, /containers/a/json/logs, containers.logs, CONTAINERS, read-sensitive",
        "GET, /containers/abc/archive, containers.archive.get, CONTAINERS, read-sensitive",
        "HEAD, /containers/abc/archive, containers.archive.head, CONTAINERS, read-sensitive",
        "PUT, /containers/abc/archive, containers.archive.put, CONTAINERS, write",
        "GET, /containers/abc/export, containers.export, CONTAINERS, read-sensitive",
        "POST, /containers/abc/attach, containers.attach, CONTAINERS, exec",
        "GET, /containers/abc/attach/ws, containers.attach.ws, CONTAINERS, exec",
        "POST, /containers/abc/exec, containers.exec.create, EXEC, exec",
        "POST, /exec/e1/start, exec.start, EXEC, exec",
        "GET, /exec/e1/json, exec.inspect, EXEC, read",
        "POST, /containers/create, containers.create, CONTAINERS, write",
        "POST, /containers/create/start, containers.start, CONTAINERS, write",
        "DELETE, /containers/abc, containers.delete, CONTAINERS, write",
        "DELETE, /containers/abc/checkpoints/cp1, containers.checkpoints.delete, CONTAINERS, write",
        "GET, /images/get, images.save, IMAGES, read-sensitive",
        "GET, /images/library/nginx:1/get, images.save.one, IMAGES, read-sensitive",
        "GET, /images/library/nginx:1/json, images.inspect, IMAGES, read",
        "DELETE, /images/library/nginx:1, images.delete, IMAGES, write",
        "POST, /images/library/nginx:1/tag, images.tag, IMAGES, write",
        "GET, /_ping, system.ping, PING, read",
        "HEAD, /_ping, system.ping.head, PING, read",
        "GET, /swarm/unlockkey, swarm.unlockkey, SWARM, read-sensitive",
        "GET, /configs/c1, configs.inspect, CONFIGS, read-sensitive",
        "GET, /secrets/s1, secrets.inspect, SECRETS, read",
        "GET, /networks/, networks.list, NETWORKS, read",
        "GET, /networks/team/net, networks.inspect, NETWORKS, read",
        "GET, /debug/pprof/cmdline, debug.pprof.cmdline, DEBUG, read-sensitive",
        "GET, /debug/pprof/heap, debug.pprof.lookup, DEBUG, read-sensitive",
        "POST, /session, session.start, SESSION, exec",
        "POST, /grpc, grpc, GRPC, exec",
        "OPTIONS, /containers/abc/exec, system.options, SYSTEM, read",
        "GET, /distribution/library/nginx:1/json, distribution.inspect, DISTRIBUTION, read",
    })
    void classifiesLikeTheDaemonRouter(
            String method, String path, String id, Section section, String access) {
        Endpoint e = catalog.match(method, path).orElseThrow();
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.section()).isEqualTo(section);
        assertThat(e.access().id()).isEqualTo(access);
    }

    @ParameterizedTest(name = "{0} {1} is unknown")
    @CsvSource({
        "GET, /CONTAINERS/json",
        "GET, /Containers/json",
        "GET, /containers",
        "GET, /containers/",
        "GET, /containers/json/",
        "DELETE, /containers/abc/",
        "HEAD, /containers/json",
        "GET, /containers/create",
        "POST, /containers/json",
        "GET, /libpod/containers/json",
        "GET, /libpod/_ping",
        "POST, /libpod/containers/abc/exec",
        "GET, /v4.0.0/libpod/info",
        "GET, /",
        "GET, /exec/e1/start",
        "PATCH, /containers/abc",
        "GET, /debug/pprof",
        "OPTIONS, /",
    })
    void unknownRoutesAreNotClassified(String method, String path) {
        assertThat(catalog.match(method, path)).isEmpty();
    }

    @Test
    void hijackEndpointsAreExactlyAttachExecStartSessionAndGrpc() {
        List<String> hijacks =
                catalog.endpoints().stream().filter(Endpoint::hijack).map(Endpoint::id).toList();
        assertThat(hijacks)
                .containsExactlyInAnyOrder(
                        "containers.attach",
                        "containers.attach.ws",
                        "exec.start",
                        "session.start",
                        "grpc");
    }

    @Test
    void everyEndpointIdStartsWithALowerCaseArea() {
        for (Endpoint e : catalog.endpoints()) {
            assertThat(e.id()).matches("[a-z]+(\\.[a-z]+)*");
        }
    }
}
