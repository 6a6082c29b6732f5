package dev.dockerproxy.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ordered list of rules plus the endpoint catalog: judges every request. The first matching
 * rule decides; when none matches, the request is denied. Requests that cannot be canonicalised
 * are refused with 400, requests to routes the catalog does not know are denied with 403 whatever
 * the rules say, and methods that no allow rule ever permits get 405.
 *
 * <p>Pure (no I/O), immutable and thread-safe: one instance serves any number of connections.
 */
public final class Policy {

    private final String name;
    private final List<Rule> rules;
    private final EndpointCatalog catalog;
    private final AllowHint hint;
    private final Set<String> allowableMethods;
    /** Per rule: its reference, built once. */
    private final List<RuleRef> refs;
    /**
     * Per allow rule: endpoint id to the constant tail of the "allowed" message, built on first use, so an
     * allowed request (the hot path) costs one string concatenation for its message.
     */
    private final List<Map<String, String>> allowedTails;

    private Policy(Builder b) {
        this.name = b.name;
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
        Builder b = new Builder().name(name).catalog(catalog).hint(hint);
        b.rules.addAll(rules);
        return b;
    }

    /**
     * Judges one request head. Never throws for hostile input: a malformed target gives a 400
     * decision.
     *
     * @param method    the request method exactly as received (case preserved)
     * @param rawTarget the request target exactly as received
     * @param client    who sent it
     */
    public Decision decide(String method, String rawTarget, ClientIdentity client) {
        Objects.requireNonNull(client, "client");
        CanonicalRequest request;
        try {
            request = RequestCanonicalizer.canonicalize(method, rawTarget);
        } catch (MalformedRequestException e) {
            return new Decision(false, 400, "malformed request refused by the proxy: " + e.getMessage(),
                    null, null, RuleRef.MALFORMED);
        }
        return decide(request, client);
    }

    /** Judges an already canonical request. */
    public Decision decide(CanonicalRequest request, ClientIdentity client) {
        String method = request.method();
        String shown = method + " " + Texts.printable(request.versionedPath());
        if (!RequestCanonicalizer.KNOWN_METHODS.contains(method)) {
            return new Decision(false, 405, "method " + method + " is not part of the Docker Engine API; "
                    + "the proxy refuses it", request, null, RuleRef.UNKNOWN_ENDPOINT);
        }
        if (!allowableMethods.contains(method)) {
            Endpoint e = catalog.match(method, request.path()).orElse(null);
            String how = e == null ? "" : " To allow it: " + hint.howToAllow(e, method) + ".";
            return new Decision(false, 405, "denied: " + shown + (e == null ? "" : " (" + e.describe() + ")")
                    + ": method " + method + " is never allowed by policy '" + name + "'." + how,
                    request, e, RuleRef.DEFAULT_DENY);
        }
        Endpoint endpoint = catalog.match(method, request.path()).orElse(null);
        if (endpoint == null) {
            return new Decision(false, 403, "denied: " + shown
                    + " is not a Docker Engine API route this proxy knows (API 1.56); unknown routes are "
                    + "always denied. Check the path (it is case-sensitive) and the API version prefix.",
                    request, null, RuleRef.UNKNOWN_ENDPOINT);
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.matches(endpoint, request, client)) {
                RuleRef ref = refs.get(i);
                if (r.allows()) {
                    String tail = allowedTails.get(i).computeIfAbsent(endpoint.id(),
                            id -> " is " + endpoint.describe() + ", allowed by rule " + ref + why(r));
                    return new Decision(true, 200, "allowed: " + shown + tail, request, endpoint, ref);
                }
                String why = why(r);
                return new Decision(false, 403, "denied: " + shown + " is " + endpoint.describe()
                        + ", denied by rule " + ref + why + ". To allow it: "
                        + hint.howToAllow(endpoint, method) + ".", request, endpoint, ref);
            }
        }
        return new Decision(false, 403, "denied: " + shown + " is " + endpoint.describe()
                + ", and no rule of policy '" + name + "' allows it (default deny). To allow it: "
                + hint.howToAllow(endpoint, method) + ".", request, endpoint, RuleRef.DEFAULT_DENY);
    }

    private static String why(Rule r) {
        return r.reason() == null ? "" : " (" + r.reason() + ")";
    }

    /**
     * The body check an allowed decision still needs: present when the deciding rule has
     * {@link BodyConstraints} and the endpoint is one whose body they cover. A server must read the
     * body (at most {@link BodyConstraints#maxBytes()}; answer 413 past that), call
     * {@link #decideBody(Decision, byte[])}, and forward exactly the bytes it checked.
     */
    public Optional<BodyConstraints> bodyCheck(Decision decision) {
        if (!decision.allowed() || decision.rule().index() < 0 || decision.rule().index() >= rules.size()) {
            return Optional.empty();
        }
        Rule r = rules.get(decision.rule().index());
        if (r.bodyConstraints() == null || !BodyConstraints.CHECKED_ENDPOINTS.contains(decision.endpoint().id())) {
            return Optional.empty();
        }
        return Optional.of(r.bodyConstraints());
    }

    /**
     * Judges the body of a request whose head was allowed with a {@linkplain #bodyCheck body check}.
     *
     * @return {@code decision} itself when the body is acceptable (or no check applies), otherwise
     *         a 403 denial naming the deciding rule and what in the body was refused
     */
    public Decision decideBody(Decision decision, byte[] body) {
        Optional<BodyConstraints> check = bodyCheck(decision);
        if (check.isEmpty()) {
            return decision;
        }
        BodyConstraints c = check.get();
        if (body.length > c.maxBytes()) {
            return new Decision(false, 413, "denied: " + decision.request().method() + " "
                    + Texts.printable(decision.request().versionedPath()) + ": the body is larger than the "
                    + c.maxBytes() + " bytes the proxy checks for " + decision.endpoint().id()
                    + "; raise max-bytes in the rule's body constraints", decision.request(), decision.endpoint(),
                    decision.rule());
        }
        Optional<String> violation = c.violation(decision.endpoint().id(), body);
        if (violation.isEmpty()) {
            return decision;
        }
        return new Decision(false, 403, "denied: " + decision.request().method() + " "
                + Texts.printable(decision.request().versionedPath()) + " is " + decision.endpoint().describe()
                + ", allowed by rule " + decision.rule() + " only within its body constraints, but "
                + violation.get() + ". To allow it: " + hint.howToAllowBody(decision.endpoint()) + ".",
                decision.request(), decision.endpoint(), decision.rule());
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

        public Policy build() {
            return new Policy(this);
        }
    }
}
