package dev.dockerproxy.policy;

import java.util.Objects;

/**
 * Where a rule came from, so a decision can say which setting to change. Immutable.
 *
 * @param kind what defined the rule
 * @param location the variable, preset name, {@code file:line:column} or API caller
 */
public record RuleSource(Kind kind, String location) {

    /** What defined a rule. */
    public enum Kind {
        /** A built-in rule of the engine itself (the final default deny). */
        BUILTIN,
        /** A Tecnativa-compatible environment variable. */
        ENV,
        /** A named preset. */
        PRESET,
        /** A policy file, with line and column. */
        FILE,
        /** Built in code through the embedding API. */
        API
    }

    public RuleSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
    }

    public static final RuleSource DEFAULT_DENY = new RuleSource(Kind.BUILTIN, "default deny");

    public static RuleSource env(String variable) {
        return new RuleSource(Kind.ENV, variable);
    }

    public static RuleSource preset(String name) {
        return new RuleSource(Kind.PRESET, "preset " + name);
    }

    public static RuleSource file(String file, int line, int column) {
        return new RuleSource(Kind.FILE, file + ":" + line + ":" + column);
    }

    public static RuleSource api(String description) {
        return new RuleSource(Kind.API, description);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ENV:
                return "env " + location;
            case FILE:
                return "file " + location;
            default:
                return location;
        }
    }
}
