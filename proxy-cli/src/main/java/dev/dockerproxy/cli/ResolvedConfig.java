package dev.dockerproxy.cli;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.server.ProxyConfig;
import java.util.List;
import java.util.Objects;

/**
 * The configuration after defaults, environment, policy file and flags were merged. Immutable.
 *
 * @param proxy what the proxy runs with: policy, listeners, upstream and limits, with {@link
 *     ProxyConfig}'s defaults wherever no flag or variable set a value (serve adds its access log
 *     as the listener)
 * @param policyOrigin where the policy came from, e.g. {@code environment variables}, {@code preset
 *     traefik} or {@code file policy.yaml}
 * @param envPolicy whether the policy is the one compiled from the Tecnativa variables
 * @param env the parsed Tecnativa variables (always parsed, even when a file replaces the rules)
 * @param logFormat access log format
 * @param logLevel log level (Tecnativa/HAProxy names)
 * @param notes things the user should know about how the sources were combined
 */
public record ResolvedConfig(
        ProxyConfig proxy,
        String policyOrigin,
        boolean envPolicy,
        TecnativaEnv env,
        LogFormat logFormat,
        String logLevel,
        List<String> notes) {

    public ResolvedConfig {
        Objects.requireNonNull(proxy, "proxy");
        notes = List.copyOf(notes);
    }

    /** The policy every request is judged by: {@code proxy().policy()}. */
    public Policy policy() {
        return proxy.policy();
    }

    /** Access log formats. */
    public enum LogFormat {
        TEXT,
        JSON
    }
}
