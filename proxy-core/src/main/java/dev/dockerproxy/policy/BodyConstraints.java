package dev.dockerproxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Limits on what an allowed {@code containers.create} or {@code containers.exec.create} body may
 * ask for. An allow rule with body constraints lets a request through only when the body, read
 * the way the daemon reads it (see {@link StrictJson}), violates none of them; the body is then
 * forwarded byte-for-byte as read. A body the proxy cannot parse unambiguously is refused.
 * Immutable and thread-safe; build with {@link #builder()}.
 */
public final class BodyConstraints {

    /** Endpoints whose bodies are checked; other endpoints' bodies pass unchecked. */
    public static final Set<String> CHECKED_ENDPOINTS = Set.of("containers.create", "containers.exec.create");

    /** The default bound on a checked body: larger bodies are answered 413. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private static final List<String> NAMESPACE_FIELDS = List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode",
            "UsernsMode", "CgroupnsMode");
    private static final List<String> DOCKER_SOCKETS = List.of("/var/run/docker.sock", "/run/docker.sock");

    private final boolean denyPrivileged;
    private final boolean denyHostNamespaces;
    private final boolean denyCapabilities;
    private final boolean denyDevices;
    private final boolean denySecurityOptions;
    private final boolean denyDockerSocket;
    private final List<String> bindSources;
    private final int maxBytes;

    private BodyConstraints(Builder b) {
        this.denyPrivileged = b.denyPrivileged;
        this.denyHostNamespaces = b.denyHostNamespaces;
        this.denyCapabilities = b.denyCapabilities;
        this.denyDevices = b.denyDevices;
        this.denySecurityOptions = b.denySecurityOptions;
        this.denyDockerSocket = b.denyDockerSocket;
        this.bindSources = b.bindSources == null ? null : List.copyOf(b.bindSources);
        this.maxBytes = b.maxBytes;
    }

    /** A builder whose defaults are all "deny": the safe starting point. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every constraint on, no host bind mounts at all. */
    public static final BodyConstraints STRICT = builder().build();

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Checks a body.
     *
     * @return empty when the body is acceptable, otherwise the reason it is not
     */
    public Optional<String> violation(String endpointId, byte[] body) {
        Object json;
        try {
            json = StrictJson.parse(body);
        } catch (StrictJson.RefusedBodyException e) {
            return Optional.of(e.getMessage());
        }
        if (json == null) {
            return Optional.empty();
        }
        if (!(json instanceof Map)) {
            return Optional.of("the body must be a JSON object");
        }
        if ("containers.exec.create".equals(endpointId)) {
            return denyPrivileged && truthy(StrictJson.at(json, "Privileged"))
                    ? Optional.of("exec with Privileged=true is not allowed (body constraint deny-privileged)")
                    : Optional.empty();
        }
        if (!"containers.create".equals(endpointId)) {
            return Optional.empty();
        }
        Object host = StrictJson.at(json, "HostConfig");
        List<String> problems = new ArrayList<>();
        if (denyPrivileged && truthy(StrictJson.at(host, "Privileged"))) {
            problems.add("HostConfig.Privileged=true (deny-privileged)");
        }
        if (denyHostNamespaces) {
            for (String f : NAMESPACE_FIELDS) {
                Object v = StrictJson.at(host, f);
                if (v instanceof String && (((String) v).equalsIgnoreCase("host") || ((String) v).startsWith("container:"))) {
                    problems.add("HostConfig." + f + "=" + Texts.printable((String) v) + " (deny-host-namespaces)");
                }
            }
        }
        if (denyCapabilities && nonEmpty(StrictJson.at(host, "CapAdd"))) {
            problems.add("HostConfig.CapAdd is set (deny-capabilities)");
        }
        if (denyDevices && (nonEmpty(StrictJson.at(host, "Devices")) || nonEmpty(StrictJson.at(host, "DeviceRequests"))
                || nonEmpty(StrictJson.at(host, "DeviceCgroupRules")))) {
            problems.add("HostConfig.Devices/DeviceRequests/DeviceCgroupRules are set (deny-devices)");
        }
        if (denySecurityOptions && nonEmpty(StrictJson.at(host, "SecurityOpt"))) {
            problems.add("HostConfig.SecurityOpt is set (deny-security-options)");
        }
        for (String source : hostSources(host, problems)) {
            checkSource(source, problems);
        }
        return problems.isEmpty() ? Optional.empty()
                : Optional.of("the container would get " + String.join(", ", problems));
    }

    private void checkSource(String source, List<String> problems) {
        String normalized = normalize(source);
        if (denyDockerSocket && exposesDockerSocket(normalized)) {
            problems.add("a bind mount of " + Texts.printable(source) + " (deny-docker-socket)");
            return;
        }
        if (bindSources != null) {
            for (String allowed : bindSources) {
                if (normalized.equals(allowed) || normalized.startsWith(allowed.endsWith("/") ? allowed : allowed + "/")) {
                    return;
                }
            }
            problems.add("a bind mount of " + Texts.printable(source) + " outside the allowed bind sources "
                    + bindSources);
        }
    }

    /** The socket itself, any directory above it, or any file named docker.sock. */
    private static boolean exposesDockerSocket(String normalized) {
        if (normalized.equals("/") || normalized.endsWith("/docker.sock")) {
            return true;
        }
        for (String sock : DOCKER_SOCKETS) {
            if (sock.equals(normalized) || sock.startsWith(normalized + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Host paths of HostConfig.Binds ("src:dst[:opts]" with an absolute src) and bind Mounts. */
    private static List<String> hostSources(Object host, List<String> problems) {
        List<String> sources = new ArrayList<>();
        Object binds = StrictJson.at(host, "Binds");
        if (binds instanceof List) {
            for (Object b : (List<?>) binds) {
                if (b instanceof String) {
                    String s = (String) b;
                    int colon = s.indexOf(':');
                    String src = colon < 0 ? s : s.substring(0, colon);
                    if (src.startsWith("/")) {
                        sources.add(src);
                    }
                } else {
                    problems.add("a HostConfig.Binds entry that is not a string");
                }
            }
        }
        Object mounts = StrictJson.at(host, "Mounts");
        if (mounts instanceof List) {
            for (Object m : (List<?>) mounts) {
                Object type = StrictJson.at(m, "Type");
                Object src = StrictJson.at(m, "Source");
                if (type instanceof String && ((String) type).toLowerCase(Locale.ROOT).equals("bind")) {
                    sources.add(src instanceof String ? (String) src : "");
                } else if (type instanceof String && ((String) type).toLowerCase(Locale.ROOT).equals("volume")) {
                    Object opts = StrictJson.at(m, "VolumeOptions", "DriverConfig", "Options");
                    if (opts instanceof Map && !((Map<?, ?>) opts).isEmpty()) {
                        problems.add("a volume mount with driver options (can bind host paths)");
                    }
                }
            }
        }
        return sources;
    }

    /** Collapses "//", "/./" and resolves ".." lexically, so "/var/run/../run/docker.sock" is caught. */
    static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(seg);
        }
        return "/" + String.join("/", out);
    }

    private static boolean truthy(Object v) {
        return v != null && v != StrictJson.NULL && !Boolean.FALSE.equals(v);
    }

    private static boolean nonEmpty(Object v) {
        if (v == null || v == StrictJson.NULL) {
            return false;
        }
        if (v instanceof List) {
            return !((List<?>) v).isEmpty();
        }
        if (v instanceof Map) {
            return !((Map<?, ?>) v).isEmpty();
        }
        return !(v instanceof String) || !((String) v).isEmpty();
    }

    @Override
    public String toString() {
        List<String> on = new ArrayList<>();
        if (denyPrivileged) {
            on.add("deny-privileged");
        }
        if (denyHostNamespaces) {
            on.add("deny-host-namespaces");
        }
        if (denyCapabilities) {
            on.add("deny-capabilities");
        }
        if (denyDevices) {
            on.add("deny-devices");
        }
        if (denySecurityOptions) {
            on.add("deny-security-options");
        }
        if (denyDockerSocket) {
            on.add("deny-docker-socket");
        }
        on.add("bind-sources=" + (bindSources == null ? "any" : bindSources));
        return "body[" + String.join(", ", on) + "]";
    }

    /** Builder; every constraint starts on, and no host bind source is allowed. Not thread-safe. */
    public static final class Builder {
        private boolean denyPrivileged = true;
        private boolean denyHostNamespaces = true;
        private boolean denyCapabilities = true;
        private boolean denyDevices = true;
        private boolean denySecurityOptions = true;
        private boolean denyDockerSocket = true;
        private List<String> bindSources = List.of();
        private int maxBytes = DEFAULT_MAX_BYTES;

        public Builder denyPrivileged(boolean v) {
            denyPrivileged = v;
            return this;
        }

        public Builder denyHostNamespaces(boolean v) {
            denyHostNamespaces = v;
            return this;
        }

        public Builder denyCapabilities(boolean v) {
            denyCapabilities = v;
            return this;
        }

        public Builder denyDevices(boolean v) {
            denyDevices = v;
            return this;
        }

        public Builder denySecurityOptions(boolean v) {
            denySecurityOptions = v;
            return this;
        }

        public Builder denyDockerSocket(boolean v) {
            denyDockerSocket = v;
            return this;
        }

        /** Host paths (absolute) under which bind mounts are allowed; {@code null} allows any path. */
        public Builder bindSources(List<String> sources) {
            if (sources != null) {
                for (String s : sources) {
                    if (!Objects.requireNonNull(s, "bind source").startsWith("/")) {
                        throw new IllegalArgumentException("bind source '" + s + "' must be an absolute path");
                    }
                }
                List<String> normalized = new ArrayList<>();
                sources.forEach(s -> normalized.add(normalize(s)));
                bindSources = normalized;
            } else {
                bindSources = null;
            }
            return this;
        }

        public Builder maxBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("max body bytes must be positive");
            }
            maxBytes = bytes;
            return this;
        }

        public BodyConstraints build() {
            return new BodyConstraints(this);
        }
    }
}
