package dev.dockerproxy.policy;

/**
 * Says, for a denied endpoint, which setting would allow it. Each configuration source speaks
 * its own language: environment variables for Tecnativa-style configuration, rules for policy
 * files and presets.
 */
@FunctionalInterface
public interface AllowHint {

    /** A hint for policies built from rules (files, presets, code). */
    AllowHint RULES = (endpoint, method) -> "add an allow rule for endpoint " + endpoint.id()
            + " before any rule that denies it (policy file: '- {action: allow, endpoints: [" + endpoint.id()
            + "]}')";

    /**
     * @param endpoint the endpoint that was denied
     * @param method   the request method
     * @return a short imperative phrase, e.g. {@code set CONTAINERS=1 and POST=1}
     */
    String howToAllow(Endpoint endpoint, String method);

    /** What to change so a body refused by body constraints would pass. */
    default String howToAllowBody(Endpoint endpoint) {
        return "relax the body constraints of the rule that allows " + endpoint.id()
                + " (policy file: 'body:' settings such as deny-privileged: false)";
    }
}
