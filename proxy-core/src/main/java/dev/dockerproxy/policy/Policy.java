package dev.dockerproxy.policy;

import dev.dockerproxy.policy.admission.Admission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ordered list of rules plus the endpoint catalog: judges every request. The first matching rule
 * decides; when none matches, the request is denied. Requests that cannot be canonicalised are
 * refused with 400, requests to routes the catalog does not know are denied with 403 whatever the
 * rules say, and methods that no allow rule ever permits get 405.
 *
 * <p>Pure (no I/O), immutable and thread-safe: one instance serves any number of connections.
 */
public final class Policy {

    /** The oldest API version accepted by default: 1.24, the oldest current engines accept. */
    public static final String DEFAULT_MIN_API_VERSION = "1.24";

    private final String name;
    private final String minApiVersion;
    private final List<Rule> rules;
    private final EndpointCatalog catalog;
    private final AllowHint hint;
    private final Set<String> allowableMethods;

    /** Per rule: its reference, built once. */
    private final List<RuleRef> refs;

    /**
     * Per allow rule: endpoint id to the constant tail of the "allowed" message, built on first
     * use, so an allowed request (the hot path) costs one string concatenation for its message.
     */
    private final List<Map<String, String>> allowedTails;

    private Policy(Builder b) {
        this.name = b.name;
        this.minApiVersion = b.minApiVersion;
        this.rules = List.copyOf(b.rules);
        List<RuleRef> ruleRefs = new ArrayList<>(rules.size());
        List<Map<String, String>> tails = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            ruleRefs.add(new RuleRef(rules.get(i).name(), i, rules.get(i).source()));
            tails.add(new ConcurrentHashMap<>());
        }
        this.refs = List.copyOf(ruleRefs);
        this.allowedTails = List.copyOf(tails);
        this.catalog = b.catalog;
        this.hint = b.hint;
        Set<String> methods = new LinkedHashSet<>();
        for (Endpoint e : catalog.endpoints()) {
            for (Rule r : rules) {
                if (r.matchesEndpoint(e, e.method())) {
                    if (r.allows()) {
                        methods.add(e.method());
                    }
                    if (!r.isConditional()) {
                        break; // an unconditional earlier rule shadows later ones for this endpoint
                    }
                }
            }
        }
        this.allowableMethods = Set.copyOf(methods);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A policy that denies everything. */
    public static Policy denyAll() {
        return builder().name("deny-all").build();
    }

    /** A copy of this policy's settings, to derive a new policy. */
    public Builder toBuilder() {
        Builder b =
                new Builder().name(name).catalog(catalog).hint(hint).minApiVersion(minApiVersion);
        b.rules.addAll(rules);
        return b;
    }

    /**
     * Judges one request head. Never throws for hostile input: a malformed target gives a 400
     * decision.
     *
     * @param method the request method exactly as received (case preserved)
     * @param rawTarget the request target exactly as received
     * @param client who sent it
     */
    public Decision decide(String method, String rawTarget, ClientIdentity client) {
        Objects.requireNonNull(client, "client");
        CanonicalRequest request;
        try {
            request = RequestCanonicalizer.canonicalize(method, rawTarget);
        } catch (MalformedRequestException e) {
            return Decision.deny(
                    400,
                    "malformed request refused by the proxy: " + e.getMessage(),
                    RuleRef.MALFORMED);
        }
        return decide(request, client);
    }

    /** Judges an already canonical request. */
    public Decision decide(CanonicalRequest request, ClientIdentity client) {
        String method = request.method();
        String shown = method + " " + Texts.printable(request.versionedPath());
        if (!RequestCanonicalizer.KNOWN_METHODS.contains(method)) {
            return Decision.deny(
                    405,
                    "method "
                            + method
                            + " is not part of the Docker Engine API; "
                            + "the proxy refuses it",
                    request,
                    null,
                    RuleRef.UNKNOWN_ENDPOINT);
        }
        if (!allowableMethods.contains(method)) {
            Endpoint e = catalog.match(method, request.path()).orElse(null);
            String how = e == null ? "" : " To allow it: " + hint.howToAllow(e, method) + ".";
            return Decision.deny(
                    405,
                    "denied: "
                            + shown
                            + (e == null ? "" : " (" + e.describe() + ")")
                            + ": method "
                            + method
                            + " is never allowed by policy '"
                            + name
                            + "'."
                            + how,
                    request,
                    e,
                    RuleRef.DEFAULT_DENY);
        }
        Endpoint endpoint = catalog.match(method, request.path()).orElse(null);
        if (request.apiVersion() != null
                && compareVersions(request.apiVersion(), minApiVersion) < 0) {
            return Decision.deny(
                    403,
                    "denied: "
                            + shown
                            + ": API version "
                            + request.apiVersion()
                            + " is older than the oldest this proxy accepts ("
                            + minApiVersion
                            + "); the daemon reads old "
                            + "versions' bodies differently (before 1.24 a start request carries a HostConfig). Use a newer "
                            + "API version, or "
                            + hint.howToAllowVersion(request.apiVersion())
                            + ".",
                    request,
                    endpoint,
                    RuleRef.API_VERSION_FLOOR);
        }
        if (endpoint == null) {
            return Decision.deny(
                    403,
                    "denied: "
                            + shown
                            + " is not a Docker Engine API route this proxy knows (API 1.56); unknown routes are "
                            + "always denied. Check the path (it is case-sensitive) and the API version prefix.",
                    request,
                    null,
                    RuleRef.UNKNOWN_ENDPOINT);
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.matches(endpoint, request, client)) {
                RuleRef ref = refs.get(i);
                if (r.allows()) {
                    List<String> refused =
                            Admission.judgeQuery(
                                    endpoint.id(), request.query(), r.bodyConstraints());
                    if (!refused.isEmpty()) {
                        return bodyDenial(request, endpoint, ref, refused);
                    }
                    String tail =
                            allowedTails
                                    .get(i)
                                    .computeIfAbsent(
                                            endpoint.id(),
                                            id ->
                                                    " is "
                                                            + endpoint.describe()
                                                            + ", allowed by rule "
                                                            + ref
                                                            + why(r));
                    return Decision.allow("allowed: " + shown + tail, request, endpoint, ref);
                }
                String why = why(r);
                return Decision.deny(
                        403,
                        "denied: "
                                + shown
                                + " is "
                                + endpoint.describe()
                                + ", denied by rule "
                                + ref
                                + why
                                + ". To allow it: "
                                + hint.howToAllow(endpoint, method)
                                + ".",
                        request,
                        endpoint,
                        ref);
            }
        }
        return Decision.deny(
                403,
                "denied: "
                        + shown
                        + " is "
                        + endpoint.describe()
                        + ", and no rule of policy '"
                        + name
                        + "' allows it (default deny). To allow it: "
                        + hint.howToAllow(endpoint, method)
                        + ".",
                request,
                endpoint,
                RuleRef.DEFAULT_DENY);
    }

    private static String why(Rule r) {
        return r.reason() == null ? "" : " (" + r.reason() + ")";
    }

    /**
     * The body check an allowed decision still needs: present when the endpoint's body can grant
     * power and the deciding rule's {@link BodyConstraints} are not {@linkplain
     * BodyConstraints#unrestricted() unrestricted} (a start request's body is checked under any
     * rule). A server must read the body (at most {@link BodyConstraints#maxBytes()}; answer 413
     * past that), call {@link #decideBody(Decision, byte[], DaemonView)}, and forward exactly the
     * bytes it checked.
     */
    public Optional<BodyConstraints> bodyCheck(Decision decision) {
        if (!decision.allowed()
                || decision.rule().index() < 0
                || decision.rule().index() >= rules.size()
                || !Admission.BODY_ENDPOINTS.contains(decision.endpoint().id())) {
            return Optional.empty();
        }
        BodyConstraints c = rules.get(decision.rule().index()).bodyConstraints();
        if (c.unrestricted() && !decision.endpoint().id().equals("containers.start")) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /**
     * Refuses an allowed request to an endpoint whose input is judged when its body is an HTML
     * form: the daemon would read the form's fields as query parameters, past the query check.
     *
     * @param contentTypes every {@code Content-Type} header value of the request
     * @return {@code decision} itself, or a 403 denial
     */
    public Decision decideContentType(Decision decision, List<String> contentTypes) {
        if (!decision.allowed()
                || contentTypes.isEmpty()
                || !Admission.judges(decision.endpointId())) {
            return decision;
        }
        for (String type : contentTypes) {
            String refusal = Admission.formBodyRefusal(type);
            if (refusal != null) {
                return Decision.deny(
                        403,
                        "denied: "
                                + decision.request().method()
                                + " "
                                + Texts.printable(decision.request().versionedPath())
                                + " is "
                                + decision.endpoint().describe()
                                + ", but "
                                + refusal
                                + ".",
                        decision.request(),
                        decision.endpoint(),
                        decision.rule());
            }
        }
        return decision;
    }

    /**
     * {@link #decideBody(Decision, byte[], DaemonView)} against a daemon with no objects ({@link
     * DaemonView#EMPTY}): borrowing bodies are refused.
     */
    public Decision decideBody(Decision decision, byte[] body) {
        return decideBody(decision, body, DaemonView.EMPTY);
    }

    /**
     * Judges the body of a request whose head was allowed with a {@linkplain #bodyCheck body
     * check}.
     *
     * @param daemon where objects the body borrows from are looked up (read-only), and the guarded
     *     socket
     * @return {@code decision} itself when the body is acceptable (or no check applies), otherwise
     *     a denial (403, or 413 past the bound) naming the deciding rule, each refused field with
     *     its value, and the setting that would allow it
     */
    public Decision decideBody(Decision decision, byte[] body, DaemonView daemon) {
        Optional<BodyConstraints> check = bodyCheck(decision);
        if (check.isEmpty()) {
            return decision;
        }
        BodyConstraints c = check.get();
        if (body.length > c.maxBytes()) {
            return Decision.deny(
                    413,
                    "denied: "
                            + decision.request().method()
                            + " "
                            + Texts.printable(decision.request().versionedPath())
                            + ": the body is larger than the "
                            + c.maxBytes()
                            + " bytes the proxy checks for "
                            + decision.endpoint().id()
                            + "; raise max-bytes in the rule's body constraints",
                    decision.request(),
                    decision.endpoint(),
                    decision.rule());
        }
        List<String> refused = Admission.judgeBody(decision.endpoint().id(), body, c, daemon);
        return refused.isEmpty()
                ? decision
                : bodyDenial(decision.request(), decision.endpoint(), decision.rule(), refused);
    }

    private Decision bodyDenial(
            CanonicalRequest request, Endpoint endpoint, RuleRef rule, List<String> refused) {
        return Decision.deny(
                403,
                "denied: "
                        + request.method()
                        + " "
                        + Texts.printable(request.versionedPath())
                        + " is "
                        + endpoint.describe()
                        + ", allowed by rule "
                        + rule
                        + " only within its body constraints, "
                        + "but the daemon would apply: "
                        + String.join("; ", refused)
                        + ". To allow it: "
                        + hint.howToAllowBody(endpoint)
                        + ".",
                request,
                endpoint,
                rule);
    }

    /**
     * The allow rules that let power-granting writes through with no body or query check ({@link
     * BodyConstraints#UNRESTRICTED}), each with the judged endpoints it can allow: a client those
     * rules allow can become root on the host. Start-up summaries and {@code check} name them.
     */
    public Map<Rule, List<String>> unrestrictedRules() {
        Map<Rule, List<String>> out = new java.util.LinkedHashMap<>();
        for (Rule r : rules) {
            if (!r.allows() || !r.bodyConstraints().unrestricted()) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (Endpoint e : catalog.endpoints()) {
                if (Admission.judges(e.id())
                        && !e.id().equals("containers.start")
                        && r.matchesEndpoint(e, e.method())) {
                    ids.add(e.id());
                }
            }
            if (!ids.isEmpty()) {
                out.put(r, List.copyOf(ids));
            }
        }
        return out;
    }

    /** The oldest API version (in a {@code /vX.Y} prefix) this policy accepts. */
    public String minApiVersion() {
        return minApiVersion;
    }

    /**
     * A minimum API version, trimmed.
     *
     * @throws IllegalArgumentException unless it is {@code MAJOR.MINOR}
     */
    static String apiVersion(String version) {
        if (version == null || !version.trim().matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
            throw new IllegalArgumentException(
                    "minimum API version '"
                            + Texts.printable(version)
                            + "' is not MAJOR.MINOR, e.g. "
                            + DEFAULT_MIN_API_VERSION);
        }
        return version.trim();
    }

    /** Compares {@code X.Y} versions numerically, as the daemon does. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parsePart(x[i]) : 0;
            long q = i < y.length ? parsePart(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long parsePart(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The policy's name, e.g. {@code env}, {@code preset traefik} or a file name. */
    public String name() {
        return name;
    }

    /** The rules, in evaluation order. */
    public List<Rule> rules() {
        return rules;
    }

    public EndpointCatalog catalog() {
        return catalog;
    }

    public AllowHint hint() {
        return hint;
    }

    /** Methods that some allow rule can permit; any other method is answered 405. */
    public Set<String> allowableMethods() {
        return allowableMethods;
    }

    @Override
    public String toString() {
        return "Policy[" + name + ", " + rules.size() + " rules]";
    }

    /** Builder for {@link Policy}; not thread-safe. */
    public static final class Builder {
        private String name = "custom";
        private final List<Rule> rules = new ArrayList<>();
        private EndpointCatalog catalog = EndpointCatalog.STANDARD;
        private AllowHint hint = AllowHint.RULES;
        private String minApiVersion = DEFAULT_MIN_API_VERSION;

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Appends a rule (evaluated after the rules added before it). */
        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Appends rules in order. */
        public Builder rules(List<Rule> rules) {
            rules.forEach(this::rule);
            return this;
        }

        public Builder catalog(EndpointCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        public Builder hint(AllowHint hint) {
            this.hint = Objects.requireNonNull(hint, "hint");
            return this;
        }

        /**
         * The oldest API version accepted in a {@code /vX.Y} prefix (default {@value
         * Policy#DEFAULT_MIN_API_VERSION}); older versions are denied, because the daemon reads
         * their bodies differently.
         *
         * @throws IllegalArgumentException unless the version is {@code MAJOR.MINOR}
         */
        public Builder minApiVersion(String version) {
            this.minApiVersion = apiVersion(version);
            return this;
        }

        public Policy build() {
            return new Policy(this);
        }
    }
}
