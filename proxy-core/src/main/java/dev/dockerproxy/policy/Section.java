package dev.dockerproxy.policy;

import java.util.Locale;

/**
 * The API sections, named as Tecnativa's {@code docker-socket-proxy} names its environment
 * variables ({@code CONTAINERS=1}, {@code IMAGES=1}, ...), plus {@link #DEBUG} for {@code
 * /debug/*}.
 */
public enum Section {
    AUTH,
    BUILD,
    COMMIT,
    CONFIGS,
    CONTAINERS,
    DEBUG,
    DISTRIBUTION,
    EVENTS,
    EXEC,
    GRPC,
    IMAGES,
    INFO,
    NETWORKS,
    NODES,
    PING,
    PLUGINS,
    SECRETS,
    SERVICES,
    SESSION,
    SWARM,
    SYSTEM,
    TASKS,
    VERSION,
    VOLUMES;

    /**
     * Parses a section name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Section fromName(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (Section s : values()) {
            if (s.name().equals(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown section '"
                        + name
                        + "'; use one of "
                        + java.util.Arrays.toString(values()));
    }
}
