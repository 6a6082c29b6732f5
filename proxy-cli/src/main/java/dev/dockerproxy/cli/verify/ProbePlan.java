package dev.dockerproxy.cli.verify;

import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.EndpointCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The probes of a verification run: one per catalog endpoint (not OPTIONS), each built so that a
 * real daemon refuses it or it cannot change anything.
 *
 * <ul>
 *   <li>Every object name is a random name that does not exist ({@code
 *       dsp-verify-nonexistent-<hex>}), so inspect, logs, archive, export, attach, exec, kill,
 *       delete... end in the daemon's {@code 404 No such container/image/...}.
 *   <li>{@code POST /containers/create} has an invalid name ({@code name=/invalid//name}) and a
 *       body the daemon rejects ({@code {"Image":""}}: no image, no command), so creation cannot
 *       succeed.
 *   <li>Other creates (networks, volumes, services, secrets, configs) send a body whose {@code
 *       Name} has the wrong JSON type: the daemon fails to decode it (400) before doing anything.
 *   <li>Never sent: pulls ({@code POST /images/create}), anything that contacts a registry (push,
 *       search, distribution, plugin pull/upgrade/privileges, auth), prunes, and swarm
 *       init/join/leave/update/unlock; these are reported as "not probed (unsafe)".
 * </ul>
 */
public final class ProbePlan {

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    /** Endpoints never probed, with the reason. */
    static final Map<String, String> UNSAFE =
            Map.ofEntries(
                    Map.entry("images.create", "pulls or imports an image"),
                    Map.entry("images.push", "contacts a registry"),
                    Map.entry("images.search", "contacts a registry"),
                    Map.entry("distribution.inspect", "contacts a registry"),
                    Map.entry("system.auth", "sends credentials to a registry"),
                    Map.entry("plugins.pull", "installs a plugin from a registry"),
                    Map.entry("plugins.upgrade", "contacts a registry"),
                    Map.entry("plugins.push", "contacts a registry"),
                    Map.entry("plugins.privileges", "contacts a registry"),
                    Map.entry("plugins.create", "creates a plugin"),
                    Map.entry("containers.prune", "prunes stopped containers"),
                    Map.entry("images.prune", "prunes images"),
                    Map.entry("volumes.prune", "prunes volumes"),
                    Map.entry("networks.prune", "prunes networks"),
                    Map.entry("build.prune", "prunes the build cache"),
                    Map.entry("swarm.init", "initialises a swarm"),
                    Map.entry("swarm.join", "joins a swarm"),
                    Map.entry("swarm.leave", "leaves the swarm"),
                    Map.entry("swarm.update", "changes the swarm"),
                    Map.entry("swarm.unlock", "unlocks the swarm"));

    private final String name;
    private final List<Probe> probes;

    private ProbePlan(String name, List<Probe> probes) {
        this.name = name;
        this.probes = List.copyOf(probes);
    }

    /** The plan with a fresh random nonexistent name. */
    public static ProbePlan create() {
        String hex = Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
        return create("dsp-verify-nonexistent-" + hex);
    }

    /**
     * The plan with {@code nonexistentName} as every object name (lower-case letters, digits, '-').
     */
    public static ProbePlan create(String nonexistentName) {
        if (!nonexistentName.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "name must be lower-case letters, digits and '-': " + nonexistentName);
        }
        List<Probe> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Endpoint e : EndpointCatalog.STANDARD.endpoints()) {
            if ("OPTIONS".equals(e.method()) || !seen.add(e.id() + " " + e.method())) {
                continue;
            }
            out.add(probe(e, nonexistentName));
        }
        return new ProbePlan(nonexistentName, out);
    }

    /** The name used for every object. */
    public String nonexistentName() {
        return name;
    }

    public List<Probe> probes() {
        return probes;
    }

    private static Probe probe(Endpoint e, String n) {
        String unsafe = UNSAFE.get(e.id());
        if (unsafe != null) {
            return Probe.unsafe(e, unsafe);
        }
        String path = VARIABLE.matcher(e.template()).replaceAll(n);
        String missing = "the object " + n + " does not exist";
        String decode =
                "the daemon cannot decode the body (Name is a number), so nothing is created";
        switch (e.id()) {
            case "containers.list":
                return Probe.of(e, "/containers/json?limit=1", null, "read only");
            case "containers.create":
                return Probe.of(
                        e,
                        "/containers/create?name=%2Finvalid%2F%2Fname",
                        "{\"Image\":\"\"}",
                        "invalid container name and no image or command: the daemon refuses to create it");
            case "containers.logs":
                return Probe.of(e, path + "?stdout=1&stderr=1&tail=1", null, missing);
            case "containers.stats":
                return Probe.of(e, path + "?stream=false", null, missing);
            case "containers.archive.get":
            case "containers.archive.head":
                return Probe.of(e, path + "?path=%2Fetc%2Fhostname", null, missing);
            case "containers.archive.put":
                return new Probe(e, path + "?path=%2Ftmp", new byte[0], true, null, missing);
            case "containers.attach":
            case "containers.attach.ws":
                return Probe.of(e, path + "?stream=1&stdout=1", null, missing);
            case "containers.exec.create":
                return Probe.of(e, path, "{\"Cmd\":[]}", missing + " and the exec has no command");
            case "exec.start":
                return Probe.of(
                        e,
                        path,
                        "{\"Detach\":true,\"Tty\":false}",
                        "the exec instance " + n + " does not exist");
            case "exec.resize":
            case "containers.resize":
                return Probe.of(e, path + "?h=1&w=1", null, missing);
            case "containers.rename":
                return Probe.of(e, path + "?name=" + n + "-renamed", null, missing);
            case "containers.update":
                return Probe.of(e, path, "{}", missing);
            case "containers.wait":
                return Probe.of(e, path + "?condition=not-running", null, missing);
            case "containers.checkpoints.create":
                return Probe.of(e, path, "{\"CheckpointID\":1}", missing);
            case "commit.create":
                return Probe.of(e, "/commit?container=" + n + "&repo=" + n, "{}", missing);
            case "images.save":
                return Probe.of(e, "/images/get?names=" + n, null, missing);
            case "images.tag":
                return Probe.of(e, path + "?repo=" + n + "&tag=verify", null, missing);
            case "images.load":
                return new Probe(
                        e,
                        "/images/load?quiet=1",
                        new byte[0],
                        true,
                        null,
                        "an empty archive holds no image");
            case "system.events":
                return Probe.stream(
                        e, "/events?since=1&until=2", "read only; only the response head is read");
            case "volumes.create":
            case "networks.create":
            case "services.create":
            case "secrets.create":
            case "configs.create":
                return Probe.of(e, path, "{\"Name\":1}", decode);
            case "volumes.update":
                return Probe.of(e, path + "?version=1", "{}", missing);
            case "services.update":
            case "nodes.update":
            case "secrets.update":
            case "configs.update":
                return Probe.of(e, path + "?version=1", "{\"Name\":1}", missing + " and " + decode);
            case "services.logs":
            case "tasks.logs":
                return Probe.of(e, path + "?stdout=1&tail=1", null, missing);
            case "networks.connect":
            case "networks.disconnect":
                return Probe.of(e, path, "{\"Container\":\"" + n + "\"}", missing);
            case "plugins.set":
                return Probe.of(e, path, "[]", missing);
            case "build.create":
                return new Probe(
                        e,
                        "/build?dockerfile=" + n + "&q=1&rm=1&forcerm=1",
                        new byte[0],
                        true,
                        null,
                        "an empty build context has no Dockerfile " + n);
            case "build.cancel":
                return Probe.of(
                        e, "/build/cancel?id=" + n, null, "the build " + n + " does not exist");
            case "session.start":
            case "grpc":
                return Probe.of(
                        e, path, null, "no Upgrade: h2c header: the daemon refuses the session");
            case "debug.pprof.profile":
            case "debug.pprof.trace":
                return Probe.of(e, path + "?seconds=1", null, "read only (a one-second profile)");
            case "debug.pprof.lookup":
                return Probe.of(e, "/debug/pprof/goroutine?debug=0", null, "read only");
            case "networks.inspect":
                return Probe.of(e, "/networks/" + n, null, missing);
            default:
                if (!"GET".equals(e.method()) && !"HEAD".equals(e.method()) && !path.contains(n)) {
                    return Probe.unsafe(e, "no request is known to be harmless");
                }
                return Probe.of(
                        e,
                        path,
                        null,
                        "GET".equals(e.method()) || "HEAD".equals(e.method())
                                ? (path.contains(n) ? "read only; " + missing : "read only")
                                : missing);
        }
    }
}
