package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.statistics.Statistics;

/**
 * Whenever the engine allows a request, the daemon (modelled independently from the route table)
 * would route it, and every route it could pick is one the rules allow. Checked for the raw target
 * the client sent and for the target the proxy forwards.
 */
class PolicyRoutingPropertiesTest {

    private static final DaemonRouterModel DAEMON = new DaemonRouterModel(RouteTable.load());

    private static final List<Policy> POLICIES =
            List.of(
                    TecnativaEnv.parse(
                                    Map.of(
                                            "CONTAINERS",
                                            "1",
                                            "NETWORKS",
                                            "1",
                                            "SERVICES",
                                            "1",
                                            "TASKS",
                                            "1",
                                            "INFO",
                                            "1",
                                            "EVENTS",
                                            "1",
                                            "VERSION",
                                            "1",
                                            "PING",
                                            "1"))
                            .policy(),
                    TecnativaEnv.parse(
                                    Map.of(
                                            "CONTAINERS",
                                            "1",
                                            "IMAGES",
                                            "1",
                                            "POST",
                                            "1",
                                            "ALLOW_START",
                                            "1"))
                            .policy(),
                    Presets.get("read-only"),
                    Presets.get("traefik"),
                    Presets.get("watchtower"),
                    Policy.builder()
                            .rule(
                                    Rule.allow()
                                            .name("inspect-web")
                                            .endpoints("containers.inspect")
                                            .path("/containers/web[^/]*/json")
                                            .build())
                            .build());

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of(
                "GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
                "get", "Get", "TRACE");
    }

    @Provide
    Arbitrary<Tuple2<String, String>> requests() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(methods(), randomTargets()).as(Tuple::of)),
                Tuple.of(7, routeBasedRequests()));
    }

    /**
     * Real routes (mostly with their own method) with hostile names, version prefixes and one
     * mutation each.
     */
    private Arbitrary<Tuple2<String, String>> routeBasedRequests() {
        List<RouteTable.Route> table = RouteTable.load();
        Arbitrary<String> name =
                Arbitraries.of(
                        "abc",
                        "web1",
                        "library/nginx:1",
                        "a/json",
                        "x/exec",
                        "json",
                        "create",
                        "..",
                        "a%2Fb",
                        "%2e%2e",
                        "web%31",
                        "a/../b",
                        "v1.41",
                        "sha256:0123abcd",
                        "WEB1",
                        "a b");
        Arbitrary<String> prefix =
                Arbitraries.of(
                        "",
                        "",
                        "",
                        "/v1.41",
                        "/v1.24",
                        "/v1",
                        "/v01.41",
                        "/v%31.41",
                        "/v1.41/v1.41",
                        "/V1.41",
                        "/v9.99",
                        "/v1..41");
        Arbitrary<Integer> mutation = Arbitraries.integers().between(0, 24);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
        Arbitrary<String> otherMethod =
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")), Tuple.of(2, methods()));
        return Combinators.combine(
                        Arbitraries.of(table), name, prefix, mutation, position, otherMethod)
                .as(
                        (r, n, pre, m, pos, om) ->
                                Tuple.of(
                                        om.isEmpty() ? r.method() : om,
                                        mutate(
                                                pre + r.template().replaceAll("\\{[^}]+}", n),
                                                m,
                                                pos)));
    }

    private static String mutate(String target, int mutation, int position) {
        int i = 1 + position % Math.max(1, target.length() - 1);
        switch (mutation) {
            case 0:
                { // percent-encode one character
                    char c = target.charAt(i);
                    return target.substring(0, i)
                            + String.format("%%%02X", (int) c)
                            + target.substring(i + 1);
                }
            case 1: // double slash
                return target.substring(0, i) + "/" + target.substring(i);
            case 2: // dot segment
                return target.substring(0, i) + "/./" + target.substring(i);
            case 3:
                return target.substring(0, i) + "/../" + target.substring(i);
            case 4: // trailing slash
                return target + "/";
            case 5: // path parameter
                return target + ";a=b";
            case 6: // upper-case one character
                return target.substring(0, i)
                        + Character.toUpperCase(target.charAt(i))
                        + target.substring(i + 1);
            case 7:
                return target + "?all=1&x=%2F";
            case 8: // double-encode one character
                return target.substring(0, i)
                        + String.format("%%25%02X", (int) target.charAt(i))
                        + target.substring(i + 1);
            default:
                return target;
        }
    }

    private Arbitrary<String> randomTargets() {
        Arbitrary<String> segment =
                Arbitraries.oneOf(
                        Arbitraries.of(
                                "containers",
                                "json",
                                "abc",
                                "exec",
                                "start",
                                "logs",
                                "archive",
                                "export",
                                "attach",
                                "ws",
                                "images",
                                "get",
                                "library",
                                "nginx:1",
                                "_ping",
                                "networks",
                                "volumes",
                                "secrets",
                                "configs",
                                "swarm",
                                "unlockkey",
                                "debug",
                                "vars",
                                "pprof",
                                "events",
                                "info",
                                "version",
                                "create",
                                "web1",
                                "plugins",
                                "services",
                                "tasks",
                                "system",
                                "session",
                                "grpc",
                                "libpod",
                                "CONTAINERS",
                                "Json",
                                "v1.41",
                                "v1.24",
                                "v1",
                                "v01.41",
                                "v1..41",
                                "v%31.41",
                                "v1.41x"),
                        Arbitraries.of(
                                "..",
                                ".",
                                "",
                                "%2e%2e",
                                "%2E",
                                ".%2e",
                                "%252e%252e",
                                "%2F",
                                "a%2Fb",
                                "%5C",
                                "a\\b",
                                ";x",
                                "json;a=b",
                                "%3B",
                                "%3F",
                                "%23",
                                "%00",
                                "%0a",
                                "%41bc",
                                "%6a%73%6f%6e",
                                "%65xec",
                                "%20",
                                "%",
                                "%g1",
                                "%C3%A9",
                                "*"),
                        Arbitraries.strings()
                                .withChars("abcjson._-%/:2Fe")
                                .ofMinLength(1)
                                .ofMaxLength(6));
        Arbitrary<List<String>> segments = segment.list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<String> query = Arbitraries.of("", "", "?all=1", "?", "?a=%2F..", "?x#y", "?%zz");
        Arbitrary<String> trailer = Arbitraries.of("", "", "", "/");
        return Combinators.combine(segments, trailer, query)
                .as((segs, slash, q) -> "/" + String.join("/", segs) + slash + q);
    }

    @Property(tries = 10000)
    void anAllowedRequestIsRoutedByTheDaemonOnlyToAllowedEndpoints(
            @ForAll("requests") Tuple2<String, String> request) {
        String method = request.get1();
        String target = request.get2();
        boolean anyAllowed = false;
        for (Policy policy : POLICIES) {
            Decision d = policy.decide(method, target, ClientIdentity.LOCAL);
            anyAllowed |= d.allowed();
            if (!d.allowed()) {
                assertThat(d.status()).isIn(400, 403, 405);
                continue;
            }
            for (String sent : List.of(target, d.request().forwardTarget())) {
                DaemonRouterModel.Outcome o = DAEMON.route(method, sent);
                assertThat(o.routes())
                        .as(
                                "%s allowed %s %s but the daemon would not route %s",
                                policy, method, target, sent)
                        .isTrue();
                for (RouteTable.Route r : o.candidates()) {
                    Endpoint e =
                            EndpointCatalog.STANDARD.endpoints().stream()
                                    .filter(
                                            x ->
                                                    x.method().equals(r.method())
                                                            && x.template().equals(r.template()))
                                    .findFirst()
                                    .orElseThrow();
                    boolean allowedByRules = false;
                    for (Rule rule : policy.rules()) {
                        if (rule.matches(e, d.request(), ClientIdentity.LOCAL)) {
                            allowedByRules = rule.allows();
                            break;
                        }
                    }
                    assertThat(allowedByRules)
                            .as(
                                    "%s: %s %s may reach daemon route %s (%s), which the rules deny",
                                    policy, method, target, r, e.id())
                            .isTrue();
                }
            }
        }
        Statistics.label("some policy allowed it").collect(anyAllowed);
        // the property is only meaningful if the generator reaches allowed requests often enough
        Statistics.label("some policy allowed it")
                .coverage(c -> c.check(true).percentage(p -> p > 4.0));
    }

    @Property(tries = 4000)
    void decidingNeverThrowsAndDenialsExplainThemselves(
            @ForAll("requests") Tuple2<String, String> request) {
        String method = request.get1();
        String target = request.get2();
        for (Policy policy : POLICIES) {
            Decision d = policy.decide(method, target, ClientIdentity.LOCAL);
            assertThat(d.message())
                    .isNotBlank()
                    .doesNotContain("\r")
                    .doesNotContain("\n")
                    .doesNotContain("\u0000");
            if (!d.allowed() && d.status() == 403 && d.endpoint() != null) {
                assertThat(d.message()).contains("To allow it:");
            }
        }
    }
}
