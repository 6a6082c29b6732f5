package dev.dockerproxy.policy;

import dev.dockerproxy.policy.admission.Admission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an allowed write that can grant power may ask the daemon to do: container create and update,
 * exec create, service create and update, volume create, plugin pull, upgrade, set and create,
 * image build and pull. An allow rule's body constraints let such a request through only when its
 * body and query, read the way the daemon reads them for the request's API version, ask for nothing
 * they refuse; the body is then forwarded byte-for-byte as read.
 *
 * <p>Every field of those inputs is classified (see {@link Admission}): harmless, judged by value,
 * or dangerous. A field the proxy does not know is refused, so a newer daemon's new field never
 * passes unjudged. The baseline (on unless switched off): no privileged mode, host namespaces,
 * capabilities beyond Docker's default set, devices, weakened security options or system paths,
 * unsafe sysctls, other runtimes, cgroup parents, host paths that are the Docker socket, a
 * directory above it or a protected system path; borrowing ({@code VolumesFrom}, {@code
 * container:<id>}) only from containers that would pass themselves.
 *
 * <p>Every allow rule carries constraints: {@link #DEFAULT} unless it sets its own or opts out with
 * {@link #UNRESTRICTED}. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class BodyConstraints {

    /** The default bound on a checked body: larger bodies are answered 413. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final boolean unrestricted;
    private final boolean denyPrivileged;
    private final boolean denyHostNamespaces;
    private final boolean denyCapabilities;
    private final boolean denyDevices;
    private final boolean denySecurityOptions;
    private final boolean denyDockerSocket;
    private final boolean denyPublishedPorts;
    private final boolean denyRootUser;
    private final List<String> bindSources;
    private final List<String> images;
    private final Set<String> allowFields;
    private final int maxBytes;

    private BodyConstraints(Builder b, boolean unrestricted) {
        this.unrestricted = unrestricted;
        this.denyPrivileged = b.denyPrivileged;
        this.denyHostNamespaces = b.denyHostNamespaces;
        this.denyCapabilities = b.denyCapabilities;
        this.denyDevices = b.denyDevices;
        this.denySecurityOptions = b.denySecurityOptions;
        this.denyDockerSocket = b.denyDockerSocket;
        this.denyPublishedPorts = b.denyPublishedPorts;
        this.denyRootUser = b.denyRootUser;
        this.bindSources = b.bindSources == null ? null : List.copyOf(b.bindSources);
        this.images = b.images == null ? null : List.copyOf(b.images);
        this.allowFields = Set.copyOf(b.allowFields);
        this.maxBytes = b.maxBytes;
    }

    /**
     * A builder whose defaults are all "deny" and no host bind source: the strictest starting
     * point.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Every constraint on, no host bind mounts at all. */
    public static final BodyConstraints STRICT = builder().build();

    /**
     * What every allow rule gets unless it says otherwise: the baseline, and host bind mounts of
     * any path that is not protected (the Docker socket and the directories above it, {@code
     * /proc}, {@code /sys}, {@code /dev}, system directories; see the README).
     */
    public static final BodyConstraints DEFAULT = builder().bindSources(null).build();

    /**
     * No body or query check at all: the explicit opt-out ({@code body: unrestricted} in a policy
     * file, {@code ALLOW_PRIVILEGED=1} in the environment). A client allowed such an endpoint under
     * it can become root on the host.
     */
    public static final BodyConstraints UNRESTRICTED =
            new BodyConstraints(builder().bindSources(null), true);

    /** Whether this is {@link #UNRESTRICTED}: nothing is checked. */
    public boolean unrestricted() {
        return unrestricted;
    }

    public boolean denyPrivileged() {
        return denyPrivileged;
    }

    public boolean denyHostNamespaces() {
        return denyHostNamespaces;
    }

    public boolean denyCapabilities() {
        return denyCapabilities;
    }

    public boolean denyDevices() {
        return denyDevices;
    }

    public boolean denySecurityOptions() {
        return denySecurityOptions;
    }

    public boolean denyDockerSocket() {
        return denyDockerSocket;
    }

    public boolean denyPublishedPorts() {
        return denyPublishedPorts;
    }

    public boolean denyRootUser() {
        return denyRootUser;
    }

    /**
     * Host paths (normalised) under which bind mounts are allowed, or {@code null} for any
     * unprotected path.
     */
    public List<String> bindSources() {
        return bindSources;
    }

    /**
     * Image references (or prefixes ending in {@code /} or {@code *}) that may be used, or {@code
     * null} for any.
     */
    public List<String> images() {
        return images;
    }

    /** Field paths (e.g. {@code HostConfig.Runtime}) allowed whatever their value. */
    public Set<String> allowFields() {
        return allowFields;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Checks a body as {@link Admission} would for {@code endpointId}, against a daemon with no
     * objects ({@link DaemonView#EMPTY}: borrowing bodies are refused, named volumes count as new)
     * and no query.
     *
     * @return empty when the body is acceptable, otherwise every reason it is not
     */
    public Optional<String> violation(String endpointId, byte[] body) {
        List<String> problems = Admission.judgeBody(endpointId, body, this, DaemonView.EMPTY);
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    @Override
    public String toString() {
        if (unrestricted) {
            return "body=unrestricted";
        }
        List<String> on = new ArrayList<>();
        addIf(on, denyPrivileged, "deny-privileged");
        addIf(on, denyHostNamespaces, "deny-host-namespaces");
        addIf(on, denyCapabilities, "deny-capabilities");
        addIf(on, denyDevices, "deny-devices");
        addIf(on, denySecurityOptions, "deny-security-options");
        addIf(on, denyDockerSocket, "deny-docker-socket");
        addIf(on, denyPublishedPorts, "deny-published-ports");
        addIf(on, denyRootUser, "deny-root-user");
        on.add("bind-sources=" + (bindSources == null ? "any" : bindSources));
        if (images != null) {
            on.add("images=" + images);
        }
        if (!allowFields.isEmpty()) {
            on.add("allow-fields=" + new java.util.TreeSet<>(allowFields));
        }
        return "body[" + String.join(", ", on) + "]";
    }

    private static void addIf(List<String> on, boolean flag, String name) {
        if (flag) {
            on.add(name);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BodyConstraints)) {
            return false;
        }
        BodyConstraints c = (BodyConstraints) o;
        return unrestricted == c.unrestricted
                && denyPrivileged == c.denyPrivileged
                && denyHostNamespaces == c.denyHostNamespaces
                && denyCapabilities == c.denyCapabilities
                && denyDevices == c.denyDevices
                && denySecurityOptions == c.denySecurityOptions
                && denyDockerSocket == c.denyDockerSocket
                && denyPublishedPorts == c.denyPublishedPorts
                && denyRootUser == c.denyRootUser
                && maxBytes == c.maxBytes
                && Objects.equals(bindSources, c.bindSources)
                && Objects.equals(images, c.images)
                && allowFields.equals(c.allowFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                unrestricted,
                denyPrivileged,
                denyHostNamespaces,
                denyCapabilities,
                denyDevices,
                denySecurityOptions,
                denyDockerSocket,
                denyPublishedPorts,
                denyRootUser,
                bindSources,
                images,
                allowFields,
                maxBytes);
    }

    /** Builder; every constraint starts on, and no host bind source is allowed. Not thread-safe. */
    public static final class Builder {
        private boolean denyPrivileged = true;
        private boolean denyHostNamespaces = true;
        private boolean denyCapabilities = true;
        private boolean denyDevices = true;
        private boolean denySecurityOptions = true;
        private boolean denyDockerSocket = true;
        private boolean denyPublishedPorts;
        private boolean denyRootUser;
        private List<String> bindSources = List.of();
        private List<String> images;
        private final Set<String> allowFields = new LinkedHashSet<>();
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

        /**
         * Refuses published host ports ({@code PortBindings}, {@code PublishAllPorts}, service
         * ports); off by default.
         */
        public Builder denyPublishedPorts(boolean v) {
            denyPublishedPorts = v;
            return this;
        }

        /**
         * Refuses {@code User} root in any spelling ({@code root}, {@code 0}, {@code 00}, {@code
         * root:0}); off by default.
         */
        public Builder denyRootUser(boolean v) {
            denyRootUser = v;
            return this;
        }

        /**
         * Images that containers and services may run and that may be pulled: a repository ({@code
         * nginx}, {@code ghcr.io/org/app}, matched with any tag), a reference with tag, or a prefix
         * ending in {@code /} or {@code *} ({@code ghcr.io/org/}); {@code null} allows any image.
         */
        public Builder images(List<String> allowed) {
            if (allowed != null) {
                for (String s : allowed) {
                    if (Objects.requireNonNull(s, "image").isBlank()) {
                        throw new IllegalArgumentException("an image entry must not be empty");
                    }
                }
            }
            images = allowed == null ? null : List.copyOf(allowed);
            return this;
        }

        /**
         * Allows fields whatever their value, by their path as the proxy names them in a refusal
         * (e.g. {@code HostConfig.Runtime}, {@code HostConfig.Sysctls}); also lets an unknown field
         * through.
         */
        public Builder allowFields(List<String> paths) {
            for (String p : paths) {
                if (Objects.requireNonNull(p, "field path").isBlank()) {
                    throw new IllegalArgumentException("a field path must not be empty");
                }
                allowFields.add(p.trim());
            }
            return this;
        }

        /**
         * Host paths (absolute) under which bind mounts are allowed; {@code null} allows any path.
         */
        public Builder bindSources(List<String> sources) {
            if (sources != null) {
                for (String s : sources) {
                    if (!Objects.requireNonNull(s, "bind source").startsWith("/")) {
                        throw new IllegalArgumentException(
                                "bind source '" + s + "' must be an absolute path");
                    }
                }
                List<String> normalized = new ArrayList<>();
                sources.forEach(
                        s ->
                                normalized.add(
                                        dev.dockerproxy.policy.admission.HostPaths.normalize(s)));
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
            return new BodyConstraints(this, false);
        }
    }
}
