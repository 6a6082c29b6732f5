package dev.dockerproxy.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment variables of Tecnativa's {@code docker-socket-proxy}, read with the same defaults
 * and compiled into rules, with the differences that make it safe by default:
 *
 * <ul>
 *   <li>Section variables ({@code CONTAINERS}, {@code IMAGES}, ...) allow {@code GET}/{@code HEAD}
 *       on their section; {@code EVENTS}, {@code PING} and {@code VERSION} default to on.
 *   <li>{@code POST=1} allows every other method on enabled sections; {@code PUT}, {@code DELETE}
 *       and {@code PATCH} override that per method when set.
 *   <li>Exec creation ({@code POST /containers/{id}/exec}) is in the {@code EXEC} section, so it
 *       needs {@code EXEC=1} (and {@code POST=1}), not just {@code CONTAINERS=1}.
 *   <li>Container logs (and service/task logs), archive, export and attach need their own {@code
 *       ALLOW_LOGS}, {@code ALLOW_ARCHIVE}, {@code ALLOW_EXPORT}, {@code ALLOW_ATTACH}, even with
 *       {@code CONTAINERS=1}.
 *   <li>{@code ALLOW_START}, {@code ALLOW_STOP}, {@code ALLOW_RESTARTS}, {@code ALLOW_PAUSE},
 *       {@code ALLOW_UNPAUSE} work without {@code POST=1}.
 * </ul>
 *
 * <p>Booleans accept {@code 1/0/true/false/yes/no/on/off} (any case); anything else is a {@link
 * ConfigException} naming the variable. Immutable and thread-safe.
 */
public final class TecnativaEnv {

    /** Section variables and their defaults. */
    public static final Map<Section, Boolean> SECTION_DEFAULTS;

    /** Method toggles. {@code POST} gates every method other than GET/HEAD. */
    public static final List<String> METHOD_VARIABLES = List.of("POST", "PUT", "DELETE", "PATCH");

    /** Opt-ins that are independent of the section and method variables. */
    public static final List<String> ALLOW_VARIABLES =
            List.of(
                    "ALLOW_START",
                    "ALLOW_STOP",
                    "ALLOW_RESTARTS",
                    "ALLOW_PAUSE",
                    "ALLOW_UNPAUSE",
                    "ALLOW_LOGS",
                    "ALLOW_ARCHIVE",
                    "ALLOW_EXPORT",
                    "ALLOW_ATTACH");

    /** Non-policy settings this class also reads. */
    public static final List<String> OTHER_VARIABLES =
            List.of(
                    "ALLOW_PRIVILEGED",
                    "MIN_API_VERSION",
                    "SOCKET_PATH",
                    "LOG_LEVEL",
                    "DISABLE_IPV6");

    /**
     * The body guard on every power-granting write the variables allow, unless {@code
     * ALLOW_PRIVILEGED=1}: {@link BodyConstraints#DEFAULT} (host bind mounts of unprotected paths
     * pass).
     */
    public static final BodyConstraints CREATE_GUARD = BodyConstraints.DEFAULT;

    public static final String DEFAULT_SOCKET_PATH = "/var/run/docker.sock";
    public static final List<String> LOG_LEVELS =
            List.of(
                    "debug", "info", "notice", "warning", "err", "crit", "alert", "emerg", "warn",
                    "error", "trace");

    static {
        Map<Section, Boolean> d = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            if (s != Section.DEBUG) {
                d.put(s, s == Section.EVENTS || s == Section.PING || s == Section.VERSION);
            }
        }
        SECTION_DEFAULTS = Collections.unmodifiableMap(d);
    }

    /** Endpoint ids each opt-in grants. */
    private static final Map<String, List<String>> OPT_IN_ENDPOINTS = new LinkedHashMap<>();

    static {
        OPT_IN_ENDPOINTS.put("ALLOW_START", List.of("containers.start"));
        OPT_IN_ENDPOINTS.put("ALLOW_STOP", List.of("containers.stop"));
        OPT_IN_ENDPOINTS.put(
                "ALLOW_RESTARTS",
                List.of("containers.stop", "containers.restart", "containers.kill"));
        OPT_IN_ENDPOINTS.put("ALLOW_PAUSE", List.of("containers.pause"));
        OPT_IN_ENDPOINTS.put("ALLOW_UNPAUSE", List.of("containers.unpause"));
        OPT_IN_ENDPOINTS.put(
                "ALLOW_LOGS", List.of("containers.logs", "services.logs", "tasks.logs"));
        OPT_IN_ENDPOINTS.put(
                "ALLOW_ARCHIVE",
                List.of(
                        "containers.archive.get",
                        "containers.archive.head",
                        "containers.archive.put"));
        OPT_IN_ENDPOINTS.put("ALLOW_EXPORT", List.of("containers.export"));
        OPT_IN_ENDPOINTS.put("ALLOW_ATTACH", List.of("containers.attach", "containers.attach.ws"));
    }

    /** Opt-ins that carve endpoints out of an enabled section (denied unless set). */
    private static final List<String> CARVE_OUTS =
            List.of("ALLOW_LOGS", "ALLOW_ARCHIVE", "ALLOW_EXPORT", "ALLOW_ATTACH");

    private final Map<Section, Boolean> sections;
    private final Map<String, Boolean> methods;
    private final Set<String> explicitMethods;
    private final Map<String, Boolean> optIns;
    private final String socketPath;
    private final String logLevel;
    private final boolean disableIpv6;
    private final boolean allowPrivileged;
    private final String minApiVersion;

    private TecnativaEnv(
            Map<Section, Boolean> sections,
            Map<String, Boolean> methods,
            Set<String> explicitMethods,
            Map<String, Boolean> optIns,
            String socketPath,
            String logLevel,
            boolean disableIpv6,
            boolean allowPrivileged,
            String minApiVersion) {
        this.sections = Collections.unmodifiableMap(new EnumMap<>(sections));
        this.methods = Map.copyOf(methods);
        this.explicitMethods = Set.copyOf(explicitMethods);
        this.optIns = Collections.unmodifiableMap(new LinkedHashMap<>(optIns));
        this.socketPath = socketPath;
        this.logLevel = logLevel;
        this.disableIpv6 = disableIpv6;
        this.allowPrivileged = allowPrivileged;
        this.minApiVersion = minApiVersion;
    }

    /** Every variable this class reads, in README order. */
    public static List<String> variables() {
        List<String> all = new ArrayList<>();
        SECTION_DEFAULTS.keySet().forEach(s -> all.add(s.name()));
        all.addAll(METHOD_VARIABLES);
        all.addAll(ALLOW_VARIABLES);
        all.addAll(OTHER_VARIABLES);
        return all;
    }

    /**
     * Reads the variables from an environment map (pass {@code System.getenv()} in production, a
     * plain map in tests). Unknown variables are ignored, as Tecnativa ignores them.
     *
     * @throws ConfigException naming the variable when a value is invalid
     */
    public static TecnativaEnv parse(Map<String, String> env) {
        Map<Section, Boolean> sections = new EnumMap<>(Section.class);
        SECTION_DEFAULTS.forEach((s, def) -> sections.put(s, bool(env, s.name(), def)));
        boolean post = bool(env, "POST", false);
        Map<String, Boolean> methods = new LinkedHashMap<>();
        Set<String> explicit = new LinkedHashSet<>();
        methods.put("POST", post);
        for (String m : List.of("PUT", "DELETE", "PATCH")) {
            if (present(env, m)) {
                explicit.add(m);
            }
            methods.put(m, bool(env, m, post));
        }
        methods.put("OPTIONS", post);
        Map<String, Boolean> optIns = new LinkedHashMap<>();
        for (String v : ALLOW_VARIABLES) {
            optIns.put(v, bool(env, v, false));
        }
        String socket = env.getOrDefault("SOCKET_PATH", DEFAULT_SOCKET_PATH).trim();
        if (socket.isEmpty()) {
            throw new ConfigException(
                    "SOCKET_PATH",
                    "must not be empty; set it to the Docker socket, e.g. " + DEFAULT_SOCKET_PATH);
        }
        String level = env.getOrDefault("LOG_LEVEL", "info").trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException(
                    "LOG_LEVEL",
                    "'"
                            + Texts.printable(env.get("LOG_LEVEL"))
                            + "' is not a log level; use one of debug, info, warning, err (HAProxy names are accepted)");
        }
        boolean noIpv6 = bool(env, "DISABLE_IPV6", false);
        boolean privileged = bool(env, "ALLOW_PRIVILEGED", false);
        String minVersion = env.getOrDefault("MIN_API_VERSION", "").trim();
        try {
            minVersion =
                    minVersion.isEmpty()
                            ? Policy.DEFAULT_MIN_API_VERSION
                            : Policy.apiVersion(minVersion);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("MIN_API_VERSION", e.getMessage());
        }
        return new TecnativaEnv(
                sections, methods, explicit, optIns, socket, level, noIpv6, privileged, minVersion);
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.trim().isEmpty();
    }

    static boolean bool(Map<String, String> env, String name, boolean def) {
        String raw = env.get(name);
        if (raw == null || raw.trim().isEmpty()) {
            return def;
        }
        Boolean b = parseBoolean(raw);
        if (b == null) {
            throw new ConfigException(
                    name,
                    "'"
                            + Texts.printable(raw)
                            + "' is not a boolean; use 1 or 0 (true/false and yes/no work too)");
        }
        return b;
    }

    /**
     * {@code 1/true/yes/on} or {@code 0/false/no/off}, any case; {@code null} for anything else.
     */
    public static Boolean parseBoolean(String raw) {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
            case "yes":
            case "on":
                return Boolean.TRUE;
            case "0":
            case "false":
            case "no":
            case "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    public boolean section(Section s) {
        return sections.getOrDefault(s, false);
    }

    /** Whether a method other than GET/HEAD is enabled (POST, PUT, DELETE, PATCH, OPTIONS). */
    public boolean method(String method) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        return methods.getOrDefault(method, false);
    }

    public boolean optIn(String variable) {
        return optIns.getOrDefault(variable, false);
    }

    public String socketPath() {
        return socketPath;
    }

    public String logLevel() {
        return logLevel;
    }

    public boolean disableIpv6() {
        return disableIpv6;
    }

    /**
     * Whether {@code ALLOW_PRIVILEGED=1} switched off the body guard on container and exec
     * creation.
     */
    public boolean allowPrivileged() {
        return allowPrivileged;
    }

    /** The effective value of every variable, for reports ({@code 1} or {@code 0} for booleans). */
    public Map<String, String> effectiveValues() {
        Map<String, String> out = new LinkedHashMap<>();
        sections.forEach((s, v) -> out.put(s.name(), v ? "1" : "0"));
        for (String m : METHOD_VARIABLES) {
            out.put(m, methods.get(m) ? "1" : "0");
        }
        optIns.forEach((k, v) -> out.put(k, v ? "1" : "0"));
        out.put("ALLOW_PRIVILEGED", allowPrivileged ? "1" : "0");
        out.put("MIN_API_VERSION", minApiVersion);
        out.put("SOCKET_PATH", socketPath);
        out.put("LOG_LEVEL", logLevel);
        out.put("DISABLE_IPV6", disableIpv6 ? "1" : "0");
        return out;
    }

    /**
     * Compiles the variables into rules: opt-ins first, then the carve-outs that are off, then one
     * rule per enabled section; everything else falls to the default deny.
     */
    public Policy policy() {
        AllowHint hint =
                new AllowHint() {
                    @Override
                    public String howToAllow(Endpoint endpoint, String method) {
                        return TecnativaEnv.this.howToAllow(endpoint, method);
                    }

                    @Override
                    public String howToAllowBody(Endpoint endpoint) {
                        return TecnativaEnv.this.howToAllowBody();
                    }

                    @Override
                    public String howToAllowVersion(String version) {
                        return "set MIN_API_VERSION=" + version + " (lets old body shapes through)";
                    }
                };
        Policy.Builder b = Policy.builder().name("env").hint(hint).minApiVersion(minApiVersion);
        List<String> writeMethods = new ArrayList<>();
        for (String m : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            if (method(m)) {
                writeMethods.add(m);
            }
        }
        for (String var : OPT_IN_ENDPOINTS.keySet()) {
            List<String> granted = granted(var);
            if (!granted.isEmpty()) {
                Rule.Builder rb =
                        Rule.allow()
                                .name(var)
                                .endpoints(granted.toArray(String[]::new))
                                .source(RuleSource.env(var + "=1"));
                b.rule((allowPrivileged ? rb.unrestrictedBody() : rb).build());
            }
        }
        // a carve-out denies what its opt-in does not grant (all of it when off; archive upload
        // when ALLOW_ARCHIVE=1 but PUT is off), before the section rules could allow it
        for (String var : CARVE_OUTS) {
            List<String> withheld = new ArrayList<>(OPT_IN_ENDPOINTS.get(var));
            withheld.removeAll(granted(var));
            if (!withheld.isEmpty()) {
                b.rule(
                        Rule.deny()
                                .name(var)
                                .endpoints(withheld.toArray(String[]::new))
                                .reason(carveOutReason(var))
                                .source(RuleSource.env(var + "=" + (optIn(var) ? "1" : "0")))
                                .build());
            }
        }
        for (Map.Entry<Section, Boolean> e : sections.entrySet()) {
            if (!e.getValue()) {
                continue;
            }
            List<String> ms = new ArrayList<>(List.of("GET", "HEAD"));
            ms.addAll(writeMethods);
            Rule.Builder rb =
                    Rule.allow()
                            .name(e.getKey().name())
                            .sections(e.getKey())
                            .methods(ms.toArray(String[]::new))
                            .source(RuleSource.env(e.getKey().name() + "=1"));
            if (allowPrivileged) {
                rb.unrestrictedBody();
            }
            b.rule(rb.build());
        }
        return b.build();
    }

    /**
     * The endpoints an opt-in grants: none when off; archive upload only when PUT is enabled too.
     */
    private List<String> granted(String var) {
        if (!optIn(var)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(OPT_IN_ENDPOINTS.get(var));
        if (!method("PUT")) {
            ids.remove("containers.archive.put");
        }
        return ids;
    }

    private static String carveOutReason(String var) {
        switch (var) {
            case "ALLOW_LOGS":
                return "logs can contain secrets, so they need their own opt-in even with CONTAINERS=1";
            case "ALLOW_ARCHIVE":
                return "the archive endpoints read and write files inside containers";
            case "ALLOW_EXPORT":
                return "export dumps a container's whole filesystem";
            default:
                return "attach streams a container's stdin and stdout";
        }
    }

    /** What to set to let a body refused by {@link #CREATE_GUARD} through. */
    String howToAllowBody() {
        return "use a policy file whose rule has the body setting named above, or set ALLOW_PRIVILEGED=1 (turns "
                + "every body check off: the client can become root on the host)";
    }

    /** The oldest API version accepted ({@code MIN_API_VERSION}, default 1.24). */
    public String minApiVersion() {
        return minApiVersion;
    }

    /** What to set to allow an endpoint; names only the settings that are not already on. */
    String howToAllow(Endpoint e, String method) {
        if (e.section() == Section.DEBUG) {
            return "the /debug endpoints have no environment variable; allow them with a policy file rule "
                    + "(endpoints: ["
                    + e.id()
                    + "])";
        }
        List<String> needed = new ArrayList<>();
        String optIn = null;
        for (Map.Entry<String, List<String>> o : OPT_IN_ENDPOINTS.entrySet()) {
            if (o.getValue().contains(e.id())) {
                optIn = o.getKey();
                break;
            }
        }
        if (optIn != null && CARVE_OUTS.contains(optIn)) {
            if (!optIn(optIn)) {
                needed.add(optIn + "=1");
            }
            if ("PUT".equals(method) && !method("PUT")) {
                needed.add(explicitMethods.contains("PUT") ? "PUT=1" : "POST=1 (or PUT=1)");
            }
            return join(needed);
        }
        if (!section(e.section())) {
            needed.add(e.section().name() + "=1");
        }
        if (!method(method)) {
            needed.add(
                    explicitMethods.contains(method) || !METHOD_VARIABLES.contains(method)
                            ? (METHOD_VARIABLES.contains(method) ? method + "=1" : "POST=1")
                            : (method.equals("POST") ? "POST=1" : "POST=1 (or " + method + "=1)"));
        }
        String hint = join(needed);
        if (optIn != null) {
            String alt = optIn + "=1";
            if (e.id().equals("containers.stop")) {
                alt = "ALLOW_STOP=1 or ALLOW_RESTARTS=1";
            }
            return needed.isEmpty() ? alt : alt + ", or " + hint;
        }
        return hint;
    }

    private static String join(List<String> parts) {
        if (parts.isEmpty()) {
            return "it is already enabled by the environment; check the rules listed by 'docker-socket-proxy check'";
        }
        return "set " + String.join(" and ", parts);
    }
}
