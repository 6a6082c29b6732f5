package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.BodyConstraints;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The judges of the field table: each decides, for one field's value, what passes under a rule's
 * {@link BodyConstraints} and says which setting would allow what does not. Stateless.
 */
public final class Judges {

    /** Docker's default capability set: adding one of these back changes nothing. */
    public static final Set<String> DEFAULT_CAPABILITIES =
            Set.of(
                    "AUDIT_WRITE",
                    "CHOWN",
                    "DAC_OVERRIDE",
                    "FOWNER",
                    "FSETID",
                    "KILL",
                    "MKNOD",
                    "NET_BIND_SERVICE",
                    "NET_RAW",
                    "SETFCAP",
                    "SETGID",
                    "SETPCAP",
                    "SETUID",
                    "SYS_CHROOT");

    /** Sysctls that touch only the container (Kubernetes Pod Security Standards, baseline). */
    public static final Set<String> SAFE_SYSCTLS =
            Set.of(
                    "kernel.shm_rmid_forced",
                    "net.ipv4.ip_local_port_range",
                    "net.ipv4.ip_unprivileged_port_start",
                    "net.ipv4.tcp_syncookies",
                    "net.ipv4.ping_group_range",
                    "net.ipv4.ip_local_reserved_ports",
                    "net.ipv4.tcp_keepalive_time",
                    "net.ipv4.tcp_fin_timeout",
                    "net.ipv4.tcp_keepalive_intvl",
                    "net.ipv4.tcp_keepalive_probes");

    /** Runtimes that are the daemon's default. */
    private static final Set<String> DEFAULT_RUNTIMES = Set.of("runc", "io.containerd.runc.v2");

    /** Log drivers that write only where the daemon keeps logs. */
    private static final Set<String> LOCAL_LOG_DRIVERS =
            Set.of("json-file", "local", "none", "journald");

    static final String PRIVILEGED = "body setting deny-privileged: false allows it";
    static final String NAMESPACES = "body setting deny-host-namespaces: false allows it";
    static final String CAPABILITIES = "body setting deny-capabilities: false allows it";
    static final String DEVICES = "body setting deny-devices: false allows it";
    static final String SECURITY = "body setting deny-security-options: false allows it";
    static final String PORTS = "body setting deny-published-ports: false allows it";
    static final String ROOT_USER = "body setting deny-root-user: false allows it";
    static final String IMAGES = "body setting images: [...] naming it allows it";

    private Judges() {}

    /** Refused whenever set, if {@code on} holds for the constraints. */
    static Judge whenSet(Predicate<BodyConstraints> on, String why, String allowWith) {
        return (value, at, check) -> {
            if (on.test(check.constraints()) && Check.set(value)) {
                check.refuse(at, value, why, allowWith);
            }
        };
    }

    /** Refused whenever set; only {@code allow-fields} lets it through. */
    static Judge dangerous(String why) {
        return (value, at, check) -> {
            if (Check.set(value)) {
                check.refuse(at, value, why, Check.allowFieldHint(at));
            }
        };
    }

    static final Judge PRIVILEGED_MODE =
            whenSet(
                    BodyConstraints::denyPrivileged,
                    "privileged mode gives the container root on the host",
                    PRIVILEGED);

    static final Judge CGROUP_PARENT =
            dangerous("places the container in a cgroup of the client's choosing");

    static final Judge DEVICE_ACCESS =
            whenSet(BodyConstraints::denyDevices, "gives the container host devices", DEVICES);

    /**
     * {@code NetworkMode}: host, another container's, or a user-defined network that is the host's.
     */
    static final Judge NETWORK_MODE =
            (value, at, check) -> {
                String mode = string(value, at, check);
                if (mode == null || Set.of("", "none", "bridge", "default").contains(mode)) {
                    return;
                }
                if (!namespaceMode(mode, at, check)) {
                    check.borrowNetwork(mode, at);
                }
            };

    /** {@code PidMode}, {@code IpcMode}, {@code Cgroup}: host or another container's. */
    static final Judge SHARED_NAMESPACE =
            (value, at, check) -> {
                String mode = string(value, at, check);
                if (mode != null) {
                    namespaceMode(mode, at, check);
                }
            };

    /** {@code UTSMode}, {@code UsernsMode}, {@code CgroupnsMode}: only "host" reaches the host. */
    static final Judge HOST_ONLY_NAMESPACE =
            (value, at, check) -> {
                String mode = string(value, at, check);
                if (mode != null
                        && mode.trim().equalsIgnoreCase("host")
                        && check.constraints().denyHostNamespaces()) {
                    check.refuse(at, value, "shares the host's namespace", NAMESPACES);
                }
            };

    /** Handles "host" and "container:X"; returns false for anything else (left to the caller). */
    private static boolean namespaceMode(String mode, Place at, Check check) {
        if (mode.trim().equalsIgnoreCase("host")) {
            if (check.constraints().denyHostNamespaces()) {
                check.refuse(at, mode, "shares the host's namespace", NAMESPACES);
            }
            return true;
        }
        if (mode.startsWith("container:")) {
            check.borrowContainer(mode.substring("container:".length()), at);
            return true;
        }
        return false;
    }

    static final Judge CAPABILITY_ADD =
            (value, at, check) -> {
                if (!check.constraints().denyCapabilities()) {
                    return;
                }
                List<?> caps = check.list(value, at);
                for (int i = 0; i < caps.size(); i++) {
                    Object cap = caps.get(i);
                    String name =
                            cap instanceof String
                                    ? ((String) cap).trim().toUpperCase(Locale.ROOT)
                                    : "";
                    if (name.startsWith("CAP_")) {
                        name = name.substring(4);
                    }
                    if (!DEFAULT_CAPABILITIES.contains(name)) {
                        check.refuse(
                                at.index(i),
                                cap,
                                name.equals("ALL")
                                        ? "adds every capability"
                                        : "adds a capability beyond Docker's default set",
                                CAPABILITIES);
                    }
                }
            };

    /** {@code SecurityOpt}: only {@code no-new-privileges} (a hardening) passes. */
    static final Judge SECURITY_OPT =
            (value, at, check) -> {
                if (!check.constraints().denySecurityOptions()) {
                    return;
                }
                List<?> opts = check.list(value, at);
                for (int i = 0; i < opts.size(); i++) {
                    Object opt = opts.get(i);
                    if (!(opt instanceof String && hardening((String) opt))) {
                        check.refuse(
                                at.index(i),
                                opt,
                                "changes the container's confinement (seccomp, AppArmor, SELinux "
                                        + "labels); only no-new-privileges passes",
                                SECURITY);
                    }
                }
            };

    private static boolean hardening(String opt) {
        String o = opt.trim().toLowerCase(Locale.ROOT);
        return o.equals("no-new-privileges")
                || o.equals("no-new-privileges:true")
                || o.equals("no-new-privileges=true");
    }

    /**
     * {@code MaskedPaths}, {@code ReadonlyPaths}: any list replaces the daemon's protections
     * ({@code systempaths=unconfined}).
     */
    static final Judge SYSTEM_PATHS =
            (value, at, check) -> {
                if (check.constraints().denySecurityOptions()) {
                    check.refuse(
                            at,
                            value,
                            "replaces the paths the daemon masks or makes read-only in /proc and /sys "
                                    + "(what --security-opt systempaths=unconfined sends)",
                            SECURITY);
                }
            };

    static final Judge SYSCTLS =
            (value, at, check) -> {
                if (!(value instanceof StrictJson.JsonObject)) {
                    check.refuse(at, value, "is not a JSON object", "send a JSON object");
                    return;
                }
                StrictJson.JsonObject map = (StrictJson.JsonObject) value;
                for (String key : map.keySet()) {
                    if (!SAFE_SYSCTLS.contains(key)) {
                        check.refuse(
                                at.key(map.spelled(key)),
                                map.get(key),
                                "is not a sysctl known to touch only the " + "container",
                                Check.allowFieldHint(at));
                    }
                }
            };

    /**
     * A string that passes when empty (the daemon's default) or one of {@code allowed}; any other
     * value is refused, and only {@code allow-fields} lets it through.
     */
    static Judge oneOf(Set<String> allowed, String why) {
        return (value, at, check) -> {
            String s = string(value, at, check);
            if (s != null && !s.isEmpty() && !allowed.contains(s)) {
                check.refuse(at, value, why, Check.allowFieldHint(at));
            }
        };
    }

    static final Judge RUNTIME = oneOf(DEFAULT_RUNTIMES, "is not the daemon's default runtime");

    /**
     * {@code LogConfig.Type}, a service's {@code LogDriver.Name}: drivers that write elsewhere are
     * refused.
     */
    static final Judge LOG_DRIVER =
            oneOf(
                    LOCAL_LOG_DRIVERS,
                    "sends the container's logs to a driver that writes "
                            + "outside the daemon's own log store");

    static final Judge PUBLISHED_PORTS =
            whenSet(BodyConstraints::denyPublishedPorts, "publishes ports on the host", PORTS);

    /** {@code User}: root in any spelling, when the rule refuses it. */
    static final Judge USER =
            (value, at, check) -> {
                String user = string(value, at, check);
                if (user != null && check.constraints().denyRootUser() && isRoot(user)) {
                    check.refuse(at, value, "runs as root", ROOT_USER);
                }
            };

    static boolean isRoot(String user) {
        String name = user.trim();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return name.equals("root") || (!name.isEmpty() && name.chars().allMatch(c -> c == '0'));
    }

    /** {@code Image}: within the rule's image allowlist, when it has one. */
    static final Judge IMAGE =
            (value, at, check) -> {
                String image = string(value, at, check);
                List<String> allowed = check.constraints().images();
                if (image != null && allowed != null && !Images.allowed(image, allowed)) {
                    check.refuse(at, value, "is not among the allowed images " + allowed, IMAGES);
                }
            };

    /** {@code Binds}: {@code source:target[:options]}; an absolute source is a host path. */
    static final Judge BINDS =
            (value, at, check) -> {
                List<?> binds = check.list(value, at);
                for (int i = 0; i < binds.size(); i++) {
                    Object bind = binds.get(i);
                    Place p = at.index(i);
                    if (!(bind instanceof String)) {
                        check.refuse(p, bind, "is not a string", "send source:target[:options]");
                        continue;
                    }
                    String[] parts = ((String) bind).split(":", -1);
                    List<String> options =
                            parts.length > 2 ? List.of(parts[2].split(",")) : List.of();
                    if (parts[0].startsWith("/")) {
                        HostPaths.judge(parts[0], options.contains("ro"), p, check);
                        for (String o : options) {
                            sharedPropagation(o, p, check);
                        }
                    } else {
                        Volumes.namedVolume(parts[0], p, check);
                    }
                }
            };

    /** Mount propagation that lets the container's mounts reach the host. */
    static void sharedPropagation(Object propagation, Place at, Check check) {
        if (propagation instanceof String
                && Set.of("shared", "rshared").contains(((String) propagation).trim())) {
            check.refuse(
                    at,
                    propagation,
                    "propagates the container's mounts to the host",
                    Check.allowFieldHint(at));
        }
    }

    /** {@code VolumesFrom}: {@code container[:ro|rw]}, judged by the container's state. */
    static final Judge VOLUMES_FROM =
            (value, at, check) -> {
                List<?> sources = check.list(value, at);
                for (int i = 0; i < sources.size(); i++) {
                    Object source = sources.get(i);
                    if (!(source instanceof String)) {
                        check.refuse(
                                at.index(i), source, "is not a string", "send container[:ro|rw]");
                        continue;
                    }
                    String ref = (String) source;
                    int colon = ref.indexOf(':');
                    check.borrowContainer(colon < 0 ? ref : ref.substring(0, colon), at.index(i));
                }
            };

    /** {@code NetworkingConfig.EndpointsConfig}: its keys are networks the container joins. */
    static final Judge ENDPOINT_NETWORKS =
            (value, at, check) -> {
                if (!(value instanceof StrictJson.JsonObject)) {
                    return; // the nested walk already refused it
                }
                StrictJson.JsonObject endpoints = (StrictJson.JsonObject) value;
                for (String network : endpoints.keySet()) {
                    String name = endpoints.spelled(network);
                    if (network.equals("host")) {
                        if (check.constraints().denyHostNamespaces()) {
                            check.refuse(
                                    at.key(name), name, "joins the host's network", NAMESPACES);
                        }
                    } else if (!Set.of("none", "bridge", "default").contains(network)) {
                        check.borrowNetwork(name, at.key(name));
                    }
                }
            };

    /** A string value; anything else but null is refused. */
    static String string(Object value, Place at, Check check) {
        if (value instanceof String) {
            return (String) value;
        }
        if (!Check.absent(value)) {
            check.refuse(at, value, "is not a string", "send a string");
        }
        return null;
    }
}
