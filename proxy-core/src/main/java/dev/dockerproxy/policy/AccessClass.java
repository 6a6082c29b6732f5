package dev.dockerproxy.policy;

import java.util.Locale;

/**
 * How dangerous an endpoint is, independent of its section.
 *
 * <ul>
 *   <li>{@link #READ}: inspects state without revealing file contents or secrets.
 *   <li>{@link #READ_SENSITIVE}: reads data that may hold secrets: logs, file archives, exports,
 *       image tarballs, swarm unlock keys, configs, debug endpoints.
 *   <li>{@link #WRITE}: changes daemon state.
 *   <li>{@link #EXEC}: runs code or opens a raw stream into a container (attach, exec, BuildKit
 *       session/grpc).
 * </ul>
 */
public enum AccessClass {
    READ("read"),
    READ_SENSITIVE("read-sensitive"),
    WRITE("write"),
    EXEC("exec");

    private final String id;

    AccessClass(String id) {
        this.id = id;
    }

    /** The name used in policy files and reports, e.g. {@code read-sensitive}. */
    public String id() {
        return id;
    }

    /**
     * Parses a policy-file name ({@code read}, {@code read-sensitive}, {@code write}, {@code
     * exec}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AccessClass fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (AccessClass a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown access class '" + id + "'; use one of read, read-sensitive, write, exec");
    }

    @Override
    public String toString() {
        return id;
    }
}
