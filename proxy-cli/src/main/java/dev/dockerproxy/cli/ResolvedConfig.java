package dev.dockerproxy.cli;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.TecnativaEnv;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The configuration after defaults, environment, policy file and flags were merged. Immutable.
 *
 * @param policy         the policy every request is judged by
 * @param policyOrigin   where the policy came from, e.g. {@code environment variables},
 *                       {@code preset traefik} or {@code file policy.yaml}
 * @param envPolicy      whether the policy is the one compiled from the Tecnativa variables
 * @param env            the parsed Tecnativa variables (always parsed, even when a file replaces the rules)
 * @param listeners      the addresses to listen on, at least one
 * @param socketMode     file mode of UNIX listener sockets
 * @param upstream       the Docker daemon
 * @param headerTimeout  time allowed for a request head
 * @param maxConnections most concurrent client connections
 * @param maxHeaderSize  largest request head, in bytes
 * @param logFormat      access log format
 * @param logLevel       log level (Tecnativa/HAProxy names)
 * @param notes          things the user should know about how the sources were combined
 */
public record ResolvedConfig(Policy policy, String policyOrigin, boolean envPolicy, TecnativaEnv env,
                             List<Address> listeners, int socketMode, Address upstream, Duration headerTimeout,
                             int maxConnections, int maxHeaderSize, LogFormat logFormat, String logLevel,
                             List<String> notes) {

    public ResolvedConfig {
        Objects.requireNonNull(policy, "policy");
        listeners = List.copyOf(listeners);
        notes = List.copyOf(notes);
    }

    /** The socket mode as octal text, e.g. {@code 0660}. */
    public String socketModeText() {
        return String.format("0%o", socketMode);
    }

    /** Access log formats. */
    public enum LogFormat {
        TEXT, JSON
    }
}
