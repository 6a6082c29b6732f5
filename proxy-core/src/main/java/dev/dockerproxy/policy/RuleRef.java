package dev.dockerproxy.policy;

import java.util.Objects;

/**
 * The identity of a rule in a decision: its name, its position in the policy and its source.
 * Immutable.
 *
 * @param name the rule's name, e.g. {@code CONTAINERS} or {@code allow-traefik}
 * @param index zero-based position in the policy's rule list, or {@code -1} for built-in rules
 * @param source where the rule was defined
 */
public record RuleRef(String name, int index, RuleSource source) {

    public static final RuleRef DEFAULT_DENY =
            new RuleRef("default-deny", -1, RuleSource.DEFAULT_DENY);
    public static final RuleRef MALFORMED =
            new RuleRef(
                    "canonical-request",
                    -1,
                    new RuleSource(RuleSource.Kind.BUILTIN, "request canonicalisation"));
    public static final RuleRef UNKNOWN_ENDPOINT =
            new RuleRef(
                    "endpoint-catalog",
                    -1,
                    new RuleSource(
                            RuleSource.Kind.BUILTIN, "endpoint catalog (Docker Engine API 1.56)"));

    public static final RuleRef API_VERSION_FLOOR =
            new RuleRef(
                    "api-version-floor",
                    -1,
                    new RuleSource(RuleSource.Kind.BUILTIN, "minimum API version"));

    public RuleRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + source + ")";
    }
}
