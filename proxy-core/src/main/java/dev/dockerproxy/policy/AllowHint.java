package dev.dockerproxy.policy;

/**
 * Says, for a denied endpoint, which setting would allow it. Each configuration source speaks its
 * own language: environment variables for Tecnativa-style configuration, rules for policy files and
 * presets.
 */
@FunctionalInterface
public interface AllowHint {

    /** A hint for policies built from rules (files, presets, code). */
    AllowHint RULES =
            (endpoint, method) ->
                    "add an allow rule for endpoint "
                            + endpoint.id()
                            + " before any rule that denies it (policy file: '- {action: allow, endpoints: ["
                            + endpoint.id()
                            + "]}')";

    /**
     * @param endpoint the endpoint that was denied
     * @param method the request method
     * @return a short imperative phrase, e.g. {@code set CONTAINERS=1 and POST=1}
     */
    String howToAllow(Endpoint endpoint, String method);

    /**
     * What to change so a body refused by body constraints would pass; the refusal names the
     * setting.
     */
    default String howToAllowBody(Endpoint endpoint) {
        return "change the body settings named above on the rule that allows "
                + endpoint.id()
                + " (policy file: 'body:'; code: Rule.Builder.body), or opt out with 'body: unrestricted' "
                + "(the client could then become root on the host)";
    }

    /** What to change so requests with an older API version pass. */
    default String howToAllowVersion(String version) {
        return "lower the minimum API version to "
                + version
                + " (policy file: 'min-api-version: "
                + version
                + "'; command line: --min-api-version "
                + version
                + "), which lets old body shapes through";
    }
}
