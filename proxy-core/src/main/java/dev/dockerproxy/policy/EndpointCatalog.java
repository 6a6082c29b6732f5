package dev.dockerproxy.policy;

import static dev.dockerproxy.policy.AccessClass.EXEC;
import static dev.dockerproxy.policy.AccessClass.READ;
import static dev.dockerproxy.policy.AccessClass.READ_SENSITIVE;
import static dev.dockerproxy.policy.AccessClass.WRITE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route of the Docker Engine API (version 1.56), classified, and a matcher that routes a
 * canonical path the way the daemon's router does.
 *
 * <p>The daemon (gorilla/mux) tries routes in registration order and takes the first whose method
 * and path pattern match; {@code {name:.*}} variables match across {@code /}, so image names such
 * as {@code library/nginx:1} and names like {@code a/json} work. This catalog keeps the daemon's
 * order where same-method routes overlap (the checkpoint router before the container router,
 * specific {@code /debug/pprof/*} routes before {@code /debug/pprof/{name}}) and compiles each
 * template to the same regular expression, so the endpoint it finds is the handler the daemon would
 * run. It is stricter in one way only: a variable that is empty or ends in {@code /} is not
 * matched, which makes such requests unknown (and therefore denied).
 *
 * <p>Immutable and thread-safe.
 */
public final class EndpointCatalog {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)(?::([^}]*))?}");

    /** The catalog of Docker Engine API 1.56. */
    public static final EndpointCatalog STANDARD = new EndpointCatalog(standardEndpoints());

    private final List<Route> routes;
    private final Map<String, List<Endpoint>> byId;

    /**
     * method -> first path segment -> routes in catalog order; key "" holds routes starting with a
     * variable.
     */
    private final Map<String, Map<String, List<Route>>> index;

    private EndpointCatalog(List<Endpoint> endpoints) {
        List<Route> compiled = new ArrayList<>();
        Map<String, List<Endpoint>> ids = new LinkedHashMap<>();
        for (Endpoint e : endpoints) {
            compiled.add(new Route(e, compile(e.template())));
            ids.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
        }
        this.routes = List.copyOf(compiled);
        Map<String, List<Endpoint>> frozen = new LinkedHashMap<>();
        ids.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.byId = Collections.unmodifiableMap(frozen);
        Map<String, Map<String, List<Route>>> idx = new LinkedHashMap<>();
        for (Route r : routes) {
            idx.computeIfAbsent(r.endpoint.method(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(
                            firstLiteralSegment(r.endpoint.template()), k -> new ArrayList<>())
                    .add(r);
        }
        this.index = idx;
    }

    /**
     * The literal first segment of a template ("containers" for /containers/json), or "" for a
     * variable.
     */
    private static String firstLiteralSegment(String template) {
        int end = template.indexOf('/', 1);
        String seg = end < 0 ? template.substring(1) : template.substring(1, end);
        return seg.startsWith("{") ? "" : seg;
    }

    /** All endpoints, in the daemon's registration order. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>(routes.size());
        for (Route r : routes) {
            all.add(r.endpoint);
        }
        return all;
    }

    /** The distinct endpoint ids, in catalog order. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Whether an endpoint with this id exists. */
    public boolean hasId(String id) {
        return byId.containsKey(id);
    }

    /** The endpoints with this id (usually one; {@code networks.list} has two routes). */
    public List<Endpoint> byId(String id) {
        return byId.getOrDefault(id, List.of());
    }

    /**
     * Finds the endpoint the daemon would route this request to.
     *
     * @param method upper-case method
     * @param path canonical path without version prefix
     * @return the endpoint, or empty when the daemon would not route it (or routing is ambiguous)
     */
    public Optional<Endpoint> match(String method, String path) {
        Map<String, List<Route>> bySegment = index.get(method);
        if (bySegment == null) {
            return Optional.empty();
        }
        // Only routes whose first segment is this path's first segment (or a variable) can match;
        // within a bucket the daemon's order is kept, and buckets never overlap, so the first match
        // is the same as over the whole table.
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        Optional<Endpoint> hit = firstMatch(bySegment.get(first), path);
        return hit.isPresent() ? hit : firstMatch(bySegment.get(""), path);
    }

    private static Optional<Endpoint> firstMatch(List<Route> candidates, String path) {
        if (candidates == null) {
            return Optional.empty();
        }
        for (Route r : candidates) {
            Matcher m = r.pattern.matcher(path);
            if (m.matches()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    String value = m.group(g);
                    if (value.isEmpty() || value.endsWith("/")) {
                        return Optional.empty();
                    }
                }
                return Optional.of(r.endpoint);
            }
        }
        return Optional.empty();
    }

    /**
     * Compiles a gorilla/mux template the way mux does: literal text quoted, variables as groups.
     */
    static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = VARIABLE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            String pattern = m.group(2) == null ? "[^/]+" : m.group(2);
            regex.append('(').append(pattern).append(')');
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        return Pattern.compile(regex.toString());
    }

    private static final class Route {
        final Endpoint endpoint;
        final Pattern pattern;

        Route(Endpoint endpoint, Pattern pattern) {
            this.endpoint = endpoint;
            this.pattern = pattern;
        }
    }

    // ---------------------------------------------------------------------------------------
    // The table. Order matters where same-method templates overlap: it follows moby's router
    // registration order (checkpoint router first, then container, image, system, volume, build,
    // session, swarm, plugin, distribution, grpc, network; debug routes on their own prefix).

    private static List<Endpoint> standardEndpoints() {
        List<Endpoint> t = new ArrayList<>();
        Section s;

        // checkpoint router (registered before the container router so DELETE is not masked)
        s = Section.CONTAINERS;
        add(t, "GET", "/containers/{name:.*}/checkpoints", "containers.checkpoints.list", s, READ);
        add(
                t,
                "POST",
                "/containers/{name:.*}/checkpoints",
                "containers.checkpoints.create",
                s,
                WRITE);
        add(
                t,
                "DELETE",
                "/containers/{name}/checkpoints/{checkpoint}",
                "containers.checkpoints.delete",
                s,
                WRITE);

        // container router
        add(
                t,
                "HEAD",
                "/containers/{name:.*}/archive",
                "containers.archive.head",
                s,
                READ_SENSITIVE);
        add(t, "GET", "/containers/json", "containers.list", s, READ);
        add(t, "GET", "/containers/{name:.*}/export", "containers.export", s, READ_SENSITIVE);
        add(t, "GET", "/containers/{name:.*}/changes", "containers.changes", s, READ);
        add(t, "GET", "/containers/{name:.*}/json", "containers.inspect", s, READ);
        add(t, "GET", "/containers/{name:.*}/top", "containers.top", s, READ);
        add(t, "GET", "/containers/{name:.*}/logs", "containers.logs", s, READ_SENSITIVE);
        add(t, "GET", "/containers/{name:.*}/stats", "containers.stats", s, READ);
        hijack(t, "GET", "/containers/{name:.*}/attach/ws", "containers.attach.ws", s);
        add(t, "GET", "/exec/{id:.*}/json", "exec.inspect", Section.EXEC, READ);
        add(t, "GET", "/containers/{name:.*}/archive", "containers.archive.get", s, READ_SENSITIVE);
        add(t, "POST", "/containers/create", "containers.create", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/kill", "containers.kill", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/pause", "containers.pause", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/unpause", "containers.unpause", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/restart", "containers.restart", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/start", "containers.start", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/stop", "containers.stop", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/wait", "containers.wait", s, READ);
        add(t, "POST", "/containers/{name:.*}/resize", "containers.resize", s, WRITE);
        hijack(t, "POST", "/containers/{name:.*}/attach", "containers.attach", s);
        add(t, "POST", "/containers/{name:.*}/exec", "containers.exec.create", Section.EXEC, EXEC);
        hijack(t, "POST", "/exec/{name:.*}/start", "exec.start", Section.EXEC);
        add(t, "POST", "/exec/{name:.*}/resize", "exec.resize", Section.EXEC, WRITE);
        add(t, "POST", "/containers/{name:.*}/rename", "containers.rename", s, WRITE);
        add(t, "POST", "/containers/{name:.*}/update", "containers.update", s, WRITE);
        add(t, "POST", "/containers/prune", "containers.prune", s, WRITE);
        add(t, "POST", "/commit", "commit.create", Section.COMMIT, WRITE);
        add(t, "PUT", "/containers/{name:.*}/archive", "containers.archive.put", s, WRITE);
        add(t, "DELETE", "/containers/{name:.*}", "containers.delete", s, WRITE);

        // image router
        s = Section.IMAGES;
        add(t, "GET", "/images/json", "images.list", s, READ);
        add(t, "GET", "/images/search", "images.search", s, READ);
        add(t, "GET", "/images/get", "images.save", s, READ_SENSITIVE);
        add(t, "GET", "/images/{name:.*}/get", "images.save.one", s, READ_SENSITIVE);
        add(t, "GET", "/images/{name:.*}/history", "images.history", s, READ);
        add(t, "GET", "/images/{name:.*}/json", "images.inspect", s, READ);
        add(t, "GET", "/images/{name:.*}/attestations", "images.attestations", s, READ);
        add(t, "POST", "/images/load", "images.load", s, WRITE);
        add(t, "POST", "/images/create", "images.create", s, WRITE);
        add(t, "POST", "/images/{name:.*}/push", "images.push", s, WRITE);
        add(t, "POST", "/images/{name:.*}/tag", "images.tag", s, WRITE);
        add(t, "POST", "/images/prune", "images.prune", s, WRITE);
        add(t, "DELETE", "/images/{name:.*}", "images.delete", s, WRITE);

        // system router
        add(t, "OPTIONS", "/{anyroute:.*}", "system.options", Section.SYSTEM, READ);
        add(t, "GET", "/_ping", "system.ping", Section.PING, READ);
        add(t, "HEAD", "/_ping", "system.ping.head", Section.PING, READ);
        add(t, "GET", "/events", "system.events", Section.EVENTS, READ);
        add(t, "GET", "/info", "system.info", Section.INFO, READ);
        add(t, "GET", "/version", "system.version", Section.VERSION, READ);
        add(t, "GET", "/system/df", "system.df", Section.SYSTEM, READ);
        add(t, "POST", "/auth", "system.auth", Section.AUTH, WRITE);

        // volume router
        s = Section.VOLUMES;
        add(t, "GET", "/volumes", "volumes.list", s, READ);
        add(t, "GET", "/volumes/{name:.*}", "volumes.inspect", s, READ);
        add(t, "POST", "/volumes/create", "volumes.create", s, WRITE);
        add(t, "POST", "/volumes/prune", "volumes.prune", s, WRITE);
        add(t, "PUT", "/volumes/{name:.*}", "volumes.update", s, WRITE);
        add(t, "DELETE", "/volumes/{name:.*}", "volumes.delete", s, WRITE);

        // build router
        s = Section.BUILD;
        add(t, "POST", "/build", "build.create", s, WRITE);
        add(t, "POST", "/build/prune", "build.prune", s, WRITE);
        add(t, "POST", "/build/cancel", "build.cancel", s, WRITE);

        // session router (BuildKit, upgrades to h2c)
        hijack(t, "POST", "/session", "session.start", Section.SESSION);

        // swarm router
        s = Section.SWARM;
        add(t, "GET", "/swarm", "swarm.inspect", s, READ);
        add(t, "GET", "/swarm/unlockkey", "swarm.unlockkey", s, READ_SENSITIVE);
        add(t, "POST", "/swarm/init", "swarm.init", s, WRITE);
        add(t, "POST", "/swarm/join", "swarm.join", s, WRITE);
        add(t, "POST", "/swarm/leave", "swarm.leave", s, WRITE);
        add(t, "POST", "/swarm/update", "swarm.update", s, WRITE);
        add(t, "POST", "/swarm/unlock", "swarm.unlock", s, WRITE);
        s = Section.SERVICES;
        add(t, "GET", "/services", "services.list", s, READ);
        add(t, "GET", "/services/{id}", "services.inspect", s, READ);
        add(t, "POST", "/services/create", "services.create", s, WRITE);
        add(t, "POST", "/services/{id}/update", "services.update", s, WRITE);
        add(t, "DELETE", "/services/{id}", "services.delete", s, WRITE);
        add(t, "GET", "/services/{id}/logs", "services.logs", s, READ_SENSITIVE);
        s = Section.NODES;
        add(t, "GET", "/nodes", "nodes.list", s, READ);
        add(t, "GET", "/nodes/{id}", "nodes.inspect", s, READ);
        add(t, "DELETE", "/nodes/{id}", "nodes.delete", s, WRITE);
        add(t, "POST", "/nodes/{id}/update", "nodes.update", s, WRITE);
        s = Section.TASKS;
        add(t, "GET", "/tasks", "tasks.list", s, READ);
        add(t, "GET", "/tasks/{id}", "tasks.inspect", s, READ);
        add(t, "GET", "/tasks/{id}/logs", "tasks.logs", s, READ_SENSITIVE);
        s = Section.SECRETS;
        add(t, "GET", "/secrets", "secrets.list", s, READ);
        add(t, "POST", "/secrets/create", "secrets.create", s, WRITE);
        add(t, "DELETE", "/secrets/{id}", "secrets.delete", s, WRITE);
        add(t, "GET", "/secrets/{id}", "secrets.inspect", s, READ);
        add(t, "POST", "/secrets/{id}/update", "secrets.update", s, WRITE);
        s = Section.CONFIGS;
        add(t, "GET", "/configs", "configs.list", s, READ_SENSITIVE);
        add(t, "POST", "/configs/create", "configs.create", s, WRITE);
        add(t, "DELETE", "/configs/{id}", "configs.delete", s, WRITE);
        add(t, "GET", "/configs/{id}", "configs.inspect", s, READ_SENSITIVE);
        add(t, "POST", "/configs/{id}/update", "configs.update", s, WRITE);

        // plugin router
        s = Section.PLUGINS;
        add(t, "GET", "/plugins", "plugins.list", s, READ);
        add(t, "GET", "/plugins/{name:.*}/json", "plugins.inspect", s, READ);
        add(t, "GET", "/plugins/privileges", "plugins.privileges", s, READ);
        add(t, "DELETE", "/plugins/{name:.*}", "plugins.delete", s, WRITE);
        add(t, "POST", "/plugins/{name:.*}/enable", "plugins.enable", s, WRITE);
        add(t, "POST", "/plugins/{name:.*}/disable", "plugins.disable", s, WRITE);
        add(t, "POST", "/plugins/pull", "plugins.pull", s, WRITE);
        add(t, "POST", "/plugins/{name:.*}/push", "plugins.push", s, WRITE);
        add(t, "POST", "/plugins/{name:.*}/upgrade", "plugins.upgrade", s, WRITE);
        add(t, "POST", "/plugins/{name:.*}/set", "plugins.set", s, WRITE);
        add(t, "POST", "/plugins/create", "plugins.create", s, WRITE);

        // distribution router
        add(
                t,
                "GET",
                "/distribution/{name:.*}/json",
                "distribution.inspect",
                Section.DISTRIBUTION,
                READ);

        // grpc router (BuildKit, upgrades to h2c)
        hijack(t, "POST", "/grpc", "grpc", Section.GRPC);

        // network router
        s = Section.NETWORKS;
        add(t, "GET", "/networks", "networks.list", s, READ);
        add(t, "GET", "/networks/", "networks.list", s, READ);
        add(t, "GET", "/networks/{id:.+}", "networks.inspect", s, READ);
        add(t, "POST", "/networks/create", "networks.create", s, WRITE);
        add(t, "POST", "/networks/{id:.*}/connect", "networks.connect", s, WRITE);
        add(t, "POST", "/networks/{id:.*}/disconnect", "networks.disconnect", s, WRITE);
        add(t, "POST", "/networks/prune", "networks.prune", s, WRITE);
        add(t, "DELETE", "/networks/{id:.*}", "networks.delete", s, WRITE);

        // debug router (/debug prefix): specific pprof routes before the {name} catch-all
        s = Section.DEBUG;
        add(t, "GET", "/debug/vars", "debug.vars", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/", "debug.pprof.index", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/cmdline", "debug.pprof.cmdline", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/profile", "debug.pprof.profile", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/symbol", "debug.pprof.symbol", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/trace", "debug.pprof.trace", s, READ_SENSITIVE);
        add(t, "GET", "/debug/pprof/{name}", "debug.pprof.lookup", s, READ_SENSITIVE);
        return t;
    }

    private static void add(
            List<Endpoint> t, String method, String template, String id, Section s, AccessClass a) {
        t.add(new Endpoint(id, method, template, s, a, false));
    }

    private static void hijack(
            List<Endpoint> t, String method, String template, String id, Section s) {
        t.add(new Endpoint(id, method, template, s, EXEC, true));
    }
}
