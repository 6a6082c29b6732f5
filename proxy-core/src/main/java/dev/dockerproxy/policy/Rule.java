package dev.dockerproxy.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One policy rule: a set of criteria and an action. A rule matches a classified request when every
 * criterion it sets matches (an unset criterion matches everything). Rules are evaluated in order
 * and the first match decides. Immutable and thread-safe; build with {@link #allow()} or {@link
 * #deny()}.
 */
public final class Rule {

    /** What a matching rule does. */
    public enum Action {
        ALLOW,
        DENY
    }

    private final String name;
    private final Action action;
    private final Set<String> methods;
    private final Set<String> endpointIds;
    private final Set<Section> sections;
    private final Set<AccessClass> access;
    private final Pattern path;
    private final String pathSource;
    private final ClientMatcher clients;
    private final String reason;
    private final RuleSource source;
    private final BodyConstraints body;

    private Rule(Builder b) {
        this.name = Objects.requireNonNull(b.name, "rule name");
        this.action = b.action;
        this.methods = Set.copyOf(b.methods);
        this.endpointIds = Set.copyOf(b.endpointIds);
        this.sections = b.sections.isEmpty() ? Set.of() : Set.copyOf(b.sections);
        this.access = b.access.isEmpty() ? Set.of() : Set.copyOf(b.access);
        this.pathSource = b.pathSource;
        this.path = b.pathSource == null ? null : compilePath(b.pathSource);
        this.clients = b.clients;
        this.reason = b.reason;
        this.source = Objects.requireNonNull(b.source, "rule source");
        if (b.body != null && action == Action.DENY) {
            throw new IllegalArgumentException("body constraints only make sense on allow rules");
        }
        this.body = action == Action.ALLOW && b.body == null ? BodyConstraints.DEFAULT : b.body;
    }

    /** Starts an allow rule. */
    public static Builder allow() {
        return new Builder(Action.ALLOW);
    }

    /** Starts a deny rule. */
    public static Builder deny() {
        return new Builder(Action.DENY);
    }

    /**
     * Compiles a user path regex anchored at both ends and grouped, so {@code a|b} means {@code
     * ^(?:a|b)$} and can never match a substring.
     *
     * @throws IllegalArgumentException when the regex does not compile
     */
    static Pattern compilePath(String regex) {
        try {
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid path regex '" + regex + "': " + e.getDescription(), e);
        }
    }

    /**
     * Whether this rule matches the request's method, endpoint, section, access and path (not the
     * client).
     */
    public boolean matchesRequest(Endpoint endpoint, CanonicalRequest request) {
        return matchesEndpoint(endpoint, request.method())
                && (path == null || path.matcher(request.path()).matches());
    }

    /**
     * The static part: could this rule match some request to {@code endpoint} with {@code method}?
     */
    public boolean matchesEndpoint(Endpoint endpoint, String method) {
        return (methods.isEmpty() || methods.contains(method))
                && (endpointIds.isEmpty() || endpointIds.contains(endpoint.id()))
                && (sections.isEmpty() || sections.contains(endpoint.section()))
                && (access.isEmpty() || access.contains(endpoint.access()));
    }

    /** Whether this rule matches the full request including the client. */
    public boolean matches(Endpoint endpoint, CanonicalRequest request, ClientIdentity client) {
        return matchesRequest(endpoint, request) && clients.matches(client);
    }

    public String name() {
        return name;
    }

    public Action action() {
        return action;
    }

    public boolean allows() {
        return action == Action.ALLOW;
    }

    public Set<String> methods() {
        return methods;
    }

    public Set<String> endpointIds() {
        return endpointIds;
    }

    public Set<Section> sections() {
        return sections;
    }

    public Set<AccessClass> access() {
        return access;
    }

    /** The user's path regex as written (before anchoring), or {@code null}. */
    public String pathRegex() {
        return pathSource;
    }

    /**
     * Whether the rule depends on the path or client beyond the endpoint (so a matrix cell is
     * "conditional").
     */
    public boolean isConditional() {
        return path != null || !clients.isAny();
    }

    public ClientMatcher clients() {
        return clients;
    }

    /** An optional human reason shown in decisions, or {@code null}. */
    public String reason() {
        return reason;
    }

    public RuleSource source() {
        return source;
    }

    /**
     * What the writes this rule allows may ask the daemon to do (see {@link BodyConstraints}):
     * {@link BodyConstraints#DEFAULT} unless the rule sets its own or opts out with {@link
     * BodyConstraints#UNRESTRICTED}; {@code null} for a deny rule.
     */
    public BodyConstraints bodyConstraints() {
        return body;
    }

    /**
     * A compact description of what the rule matches, e.g. {@code GET,HEAD sections=[CONTAINERS]}.
     */
    public String describeCriteria() {
        List<String> parts = new ArrayList<>();
        if (!methods.isEmpty()) {
            parts.add("methods=" + new java.util.TreeSet<>(methods));
        }
        if (!endpointIds.isEmpty()) {
            parts.add("endpoints=" + new java.util.TreeSet<>(endpointIds));
        }
        if (!sections.isEmpty()) {
            parts.add("sections=" + new java.util.TreeSet<>(sections));
        }
        if (!access.isEmpty()) {
            parts.add("access=" + new java.util.TreeSet<>(access));
        }
        if (pathSource != null) {
            parts.add("path=^(?:" + pathSource + ")$");
        }
        if (!clients.isAny()) {
            parts.add("clients=" + clients);
        }
        if (body != null && !body.equals(BodyConstraints.DEFAULT)) {
            parts.add(body.toString());
        }
        return parts.isEmpty() ? "everything" : String.join(" ", parts);
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT)
                + " '"
                + name
                + "' "
                + describeCriteria()
                + " ("
                + source
                + ")";
    }

    /** Builder for {@link Rule}; not thread-safe. */
    public static final class Builder {
        private final Action action;
        private String name;
        private final Set<String> methods = new LinkedHashSet<>();
        private final Set<String> endpointIds = new LinkedHashSet<>();
        private final Set<Section> sections = EnumSet.noneOf(Section.class);
        private final Set<AccessClass> access = EnumSet.noneOf(AccessClass.class);
        private String pathSource;
        private ClientMatcher clients = ClientMatcher.ANY;
        private String reason;
        private RuleSource source = RuleSource.api("embedding API");
        private BodyConstraints body;

        private Builder(Action action) {
            this.action = action;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Restricts to these methods (upper case, e.g. {@code GET}). */
        public Builder methods(String... methods) {
            for (String m : methods) {
                String up = m.trim();
                if (!RequestCanonicalizer.KNOWN_METHODS.contains(up)) {
                    throw new IllegalArgumentException(
                            "unknown HTTP method '"
                                    + m
                                    + "'; use one of "
                                    + new java.util.TreeSet<>(RequestCanonicalizer.KNOWN_METHODS)
                                    + " in upper case");
                }
                this.methods.add(up);
            }
            return this;
        }

        /**
         * Restricts to these endpoint ids.
         *
         * @throws IllegalArgumentException for an id not in {@link EndpointCatalog#STANDARD}
         */
        public Builder endpoints(String... ids) {
            for (String id : ids) {
                if (!EndpointCatalog.STANDARD.hasId(id)) {
                    throw new IllegalArgumentException(
                            "unknown endpoint id '"
                                    + id
                                    + "'; run 'docker-socket-proxy check' to list the endpoint ids");
                }
                endpointIds.add(id);
            }
            return this;
        }

        public Builder sections(Section... sections) {
            this.sections.addAll(List.of(sections));
            return this;
        }

        public Builder access(AccessClass... access) {
            this.access.addAll(List.of(access));
            return this;
        }

        /** Restricts to canonical paths (without version prefix) that match this regex in full. */
        public Builder path(String regex) {
            compilePath(regex);
            this.pathSource = regex;
            return this;
        }

        public Builder clients(ClientMatcher clients) {
            this.clients = Objects.requireNonNull(clients, "clients");
            return this;
        }

        /** A sentence explaining the rule, included in decisions it makes. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /**
         * What the power-granting writes this rule allows may ask for (container and exec create,
         * update, services, volumes, plugins, build, image pull); {@link BodyConstraints#DEFAULT}
         * when not set.
         */
        public Builder body(BodyConstraints constraints) {
            this.body = Objects.requireNonNull(constraints, "constraints");
            return this;
        }

        /**
         * Lets the writes this rule allows through without any body or query check: the explicit
         * opt-out. A client it allows to create containers can become root on the host.
         */
        public Builder unrestrictedBody() {
            this.body = BodyConstraints.UNRESTRICTED;
            return this;
        }

        public Builder source(RuleSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        public Rule build() {
            if (name == null) {
                name = (action == Action.ALLOW ? "allow" : "deny") + "-" + source.location();
            }
            return new Rule(this);
        }
    }
}
