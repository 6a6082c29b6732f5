package dev.dockerproxy.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named rule sets for the clients people run behind socket proxies. Each preset is a short,
 * explicit list of endpoints; see the README for what each allows and why.
 *
 * <ul>
 *   <li>{@code read-only}: every endpoint of access class {@code read} with GET or HEAD; nothing
 *       sensitive (no logs, archives, exports, image saves, configs, unlock key, debug).
 *   <li>{@code traefik}: what Traefik's Docker and Swarm providers call.
 *   <li>{@code portainer-read-only}: {@code read-only} plus container, service and task logs.
 *   <li>{@code homepage}: what gethomepage.dev's Docker widgets call (list, inspect, stats).
 *   <li>{@code watchtower}: what Watchtower needs to pull images and recreate containers.
 *   <li>{@code deny-all}: nothing.
 * </ul>
 */
public final class Presets {

    private static final Map<String, List<String>> ENDPOINTS = new LinkedHashMap<>();
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        List<String> base = List.of("system.ping", "system.ping.head", "system.version");
        define(
                "traefik",
                "Traefik's Docker and Swarm providers: ping, version, info, events, containers "
                        + "list/inspect, services, tasks and networks list/inspect",
                base,
                "system.info",
                "system.events",
                "containers.list",
                "containers.inspect",
                "services.list",
                "services.inspect",
                "tasks.list",
                "tasks.inspect",
                "networks.list",
                "networks.inspect");
        define(
                "homepage",
                "gethomepage.dev Docker widgets: containers list, inspect and stats",
                base,
                "system.info",
                "containers.list",
                "containers.inspect",
                "containers.stats");
        define(
                "watchtower",
                "Watchtower: inspect and pull images, recreate containers (stop, remove, create, "
                        + "start, rename), reconnect networks; no exec, logs or archive",
                base,
                "system.info",
                "system.events",
                "containers.list",
                "containers.inspect",
                "containers.create",
                "containers.start",
                "containers.stop",
                "containers.kill",
                "containers.delete",
                "containers.rename",
                "containers.wait",
                "images.list",
                "images.inspect",
                "images.create",
                "images.delete",
                "networks.list",
                "networks.inspect",
                "networks.connect",
                "networks.disconnect");
        DESCRIPTIONS.put(
                "read-only",
                "every read endpoint (GET/HEAD) of every section; nothing sensitive "
                        + "(no logs, archive, export, image save, configs, swarm unlock key, debug)");
        DESCRIPTIONS.put("portainer-read-only", "read-only plus container, service and task logs");
        DESCRIPTIONS.put("deny-all", "nothing at all");
    }

    private Presets() {}

    private static void define(String name, String description, List<String> base, String... ids) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(ids));
        ENDPOINTS.put(name, List.copyOf(all));
        DESCRIPTIONS.put(name, description);
    }

    /** Preset names with a one-line description each, in documentation order. */
    public static Map<String, String> descriptions() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String n : names()) {
            ordered.put(n, DESCRIPTIONS.get(n));
        }
        return Collections.unmodifiableMap(ordered);
    }

    /** The preset names. */
    public static List<String> names() {
        return List.of(
                "read-only",
                "traefik",
                "portainer-read-only",
                "homepage",
                "watchtower",
                "deny-all");
    }

    /**
     * The rules of a preset, each with source {@code preset NAME}.
     *
     * @throws IllegalArgumentException naming the known presets
     */
    public static List<Rule> rules(String name) {
        RuleSource src = RuleSource.preset(name);
        switch (name) {
            case "read-only":
                return List.of(
                        Rule.allow()
                                .name("read-only")
                                .access(AccessClass.READ)
                                .methods("GET", "HEAD")
                                .source(src)
                                .build());
            case "portainer-read-only":
                return List.of(
                        Rule.allow()
                                .name("portainer-read-only")
                                .access(AccessClass.READ)
                                .methods("GET", "HEAD")
                                .source(src)
                                .build(),
                        Rule.allow()
                                .name("portainer-read-only-logs")
                                .endpoints("containers.logs", "services.logs", "tasks.logs")
                                .source(src)
                                .build());
            case "deny-all":
                return List.of();
            default:
                List<String> ids = ENDPOINTS.get(name);
                if (ids == null) {
                    throw new IllegalArgumentException(
                            "unknown preset '" + name + "'; use one of " + names());
                }
                return List.of(
                        Rule.allow()
                                .name(name)
                                .endpoints(ids.toArray(String[]::new))
                                .source(src)
                                .build());
        }
    }

    /**
     * A policy made of one preset.
     *
     * @throws IllegalArgumentException naming the known presets
     */
    public static Policy get(String name) {
        return Policy.builder().name("preset " + name).rules(rules(name)).build();
    }
}
