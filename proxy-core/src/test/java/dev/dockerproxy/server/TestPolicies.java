package dev.dockerproxy.server;

import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.Rule;
import dev.dockerproxy.policy.RuleSource;

/** The real policies the server's wire tests run with. */
final class TestPolicies {

    private TestPolicies() {}

    /** The mission's read-only preset: reads pass, writes, exec and sensitive reads are denied. */
    static Policy readOnly() {
        return Presets.get("read-only");
    }

    /**
     * Every catalogued endpoint, hijacks included (unknown routes and malformed targets still
     * fail).
     */
    static Policy allowAll() {
        return Policy.builder()
                .name("test allow-all")
                .rule(
                        Rule.allow()
                                .name("allow-all")
                                .access(AccessClass.values())
                                .unrestrictedBody()
                                .source(RuleSource.api("server tests"))
                                .build())
                .build();
    }

    /**
     * Allows container create and exec create only within strict body constraints (max 1 KiB
     * bodies).
     */
    static Policy createWithBodyConstraints() {
        return Policy.builder()
                .name("test body constraints")
                .rule(
                        Rule.allow()
                                .name("guarded-create")
                                .endpoints("containers.create", "containers.exec.create")
                                .body(BodyConstraints.builder().maxBytes(1024).build())
                                .source(RuleSource.api("server tests"))
                                .build())
                .rule(
                        Rule.allow()
                                .name("reads")
                                .access(AccessClass.READ)
                                .source(RuleSource.api("server tests"))
                                .build())
                .build();
    }
}
