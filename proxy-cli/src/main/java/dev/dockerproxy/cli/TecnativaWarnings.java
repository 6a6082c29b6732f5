package dev.dockerproxy.cli;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Section;
import dev.dockerproxy.policy.TecnativaEnv;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an environment-variable configuration allows less (or differently) than Tecnativa's {@code
 * docker-socket-proxy} would with the same variables, so an operator who switches sees at start-up
 * which client calls will now be refused and which setting restores them; and, for every policy,
 * the rules that let power-granting writes through with no body check.
 */
public final class TecnativaWarnings {

    private TecnativaWarnings() {}

    /**
     * The differences for a configuration. Only the environment policy is compared; a policy file
     * or preset says what it allows itself.
     */
    public static List<String> of(ResolvedConfig config) {
        List<String> out = new ArrayList<>(unrestricted(config.policy()));
        if (!config.envPolicy()) {
            return out;
        }
        TecnativaEnv env = config.env();
        boolean containers = env.section(Section.CONTAINERS);
        boolean post = env.method("POST");
        if (containers && !env.optIn("ALLOW_LOGS")) {
            out.add(
                    "CONTAINERS=1 no longer allows container logs (GET /containers/{id}/logs); "
                            + "set ALLOW_LOGS=1 if a client needs them");
        }
        if (containers && !env.optIn("ALLOW_ARCHIVE")) {
            out.add(
                    "CONTAINERS=1 no longer allows reading files from containers (GET/HEAD /containers/{id}/archive); "
                            + "set ALLOW_ARCHIVE=1 if a client needs them");
        }
        if (containers && !env.optIn("ALLOW_EXPORT")) {
            out.add(
                    "CONTAINERS=1 no longer allows container export (GET /containers/{id}/export); "
                            + "set ALLOW_EXPORT=1 if a client needs it");
        }
        if (containers && post && !env.optIn("ALLOW_ATTACH")) {
            out.add(
                    "CONTAINERS=1 POST=1 no longer allows attach (POST /containers/{id}/attach); "
                            + "set ALLOW_ATTACH=1 if a client needs it");
        }
        if (containers && post && !env.section(Section.EXEC)) {
            out.add(
                    "EXEC is required for exec create (POST /containers/{id}/exec): CONTAINERS=1 POST=1 no longer "
                            + "allows it; set EXEC=1 if a client must run commands in containers");
        }
        if ((env.section(Section.SERVICES) || env.section(Section.TASKS))
                && !env.optIn("ALLOW_LOGS")) {
            out.add(
                    (env.section(Section.SERVICES) ? "SERVICES=1" : "TASKS=1")
                            + " no longer allows service and task logs; set ALLOW_LOGS=1 if a client needs them");
        }
        if (env.optIn("ALLOW_ARCHIVE") && !env.method("PUT")) {
            out.add(
                    "ALLOW_ARCHIVE=1 allows reading archives only; writing files into containers "
                            + "(PUT /containers/{id}/archive) also needs POST=1 (or PUT=1)");
        }
        return out;
    }

    /**
     * One warning per rule that lets power-granting writes through unchecked ({@code body:
     * unrestricted}, {@code ALLOW_PRIVILEGED=1}), whatever built the policy.
     */
    static List<String> unrestricted(Policy policy) {
        List<String> out = new ArrayList<>();
        policy.unrestrictedRules()
                .forEach(
                        (rule, ids) ->
                                out.add(
                                        "rule '"
                                                + rule.name()
                                                + "' ("
                                                + rule.source()
                                                + ") allows "
                                                + String.join(", ", ids)
                                                + " with no body check (unrestricted): a client it allows "
                                                + "can become root on the host"));
        return out;
    }
}
