package dev.dockerproxy.server;

import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.CanonicalRequest;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.RuleRef;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.policy.Section;
import dev.dockerproxy.server.internal.RequestJudge;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, real judge for the server's wire tests while the policy engine lands on main: a handful
 * of endpoints, read-only or read-write. Canonicalisation is deliberately simple (version prefix,
 * query split, dot segments refused). The policy engine's own tests cover the real thing.
 */
final class TestJudge implements RequestJudge {

    private static final Pattern VERSION = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");
    private static final RuleRef READ_RULE = new RuleRef("test-read", 0, RuleSource.api("TestJudge"));
    private static final RuleRef WRITE_RULE = new RuleRef("test-write", 1, RuleSource.api("TestJudge"));

    private record Route(String method, Pattern path, Endpoint endpoint) {
    }

    private static final List<Route> ROUTES = List.of(
            route("GET", "/_ping", "system.ping", Section.PING, AccessClass.READ, false),
            route("HEAD", "/_ping", "system.ping.head", Section.PING, AccessClass.READ, false),
            route("GET", "/version", "system.version", Section.VERSION, AccessClass.READ, false),
            route("GET", "/containers/json", "containers.list", Section.CONTAINERS, AccessClass.READ, false),
            route("GET", "/events", "system.events", Section.EVENTS, AccessClass.READ, false),
            route("GET", "/containers/[^/]+/logs", "containers.logs", Section.CONTAINERS,
                    AccessClass.READ_SENSITIVE, false),
            route("POST", "/containers/create", "containers.create", Section.CONTAINERS, AccessClass.WRITE, false),
            route("POST", "/containers/[^/]+/stop", "containers.stop", Section.CONTAINERS, AccessClass.WRITE, false),
            route("POST", "/containers/[^/]+/attach", "containers.attach", Section.CONTAINERS, AccessClass.EXEC, true),
            route("POST", "/exec/[^/]+/start", "exec.start", Section.EXEC, AccessClass.EXEC, true),
            route("POST", "/images/load", "images.load", Section.IMAGES, AccessClass.WRITE, false));

    private final boolean allowWrites;

    private TestJudge(boolean allowWrites) {
        this.allowWrites = allowWrites;
    }

    /** Allows read endpoints only (writes and exec get 403). */
    static TestJudge readOnly() {
        return new TestJudge(false);
    }

    /** Allows every known endpoint, hijacks included. */
    static TestJudge allowAll() {
        return new TestJudge(true);
    }

    private static Route route(String method, String path, String id, Section section, AccessClass access,
                               boolean hijack) {
        return new Route(method, Pattern.compile(path), new Endpoint(id, method, path, section, access, hijack));
    }

    @Override
    public Decision decide(String method, String rawTarget, ClientIdentity client) {
        if (!KNOWN_METHODS.contains(method)) {
            return new Decision(false, 405, "method " + method + " is never allowed", null, null,
                    RuleRef.DEFAULT_DENY);
        }
        int q = rawTarget.indexOf('?');
        String path = q < 0 ? rawTarget : rawTarget.substring(0, q);
        String query = q < 0 ? null : rawTarget.substring(q + 1);
        if (!path.startsWith("/") || path.contains("..") || path.contains("//") || path.contains("%")) {
            return new Decision(false, 400, "malformed request target", null, null, RuleRef.MALFORMED);
        }
        String version = null;
        Matcher m = VERSION.matcher(path);
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
        }
        CanonicalRequest canonical = new CanonicalRequest(method, rawTarget, version, path, query);
        for (Route r : ROUTES) {
            if (r.method.equals(method) && r.path.matcher(path).matches()) {
                boolean read = r.endpoint.access() == AccessClass.READ
                        || r.endpoint.access() == AccessClass.READ_SENSITIVE;
                if (read || allowWrites) {
                    return new Decision(true, 200, "allowed " + r.endpoint.describe(), canonical, r.endpoint,
                            read ? READ_RULE : WRITE_RULE);
                }
                return new Decision(false, 403, "docker-socket-proxy denied " + r.endpoint.describe()
                        + " by rule 'test-read'; set allowWrites to allow it", canonical, r.endpoint, READ_RULE);
            }
        }
        return new Decision(false, 403, "docker-socket-proxy denied an unknown endpoint by the default deny",
                canonical, null, RuleRef.DEFAULT_DENY);
    }
}
