package dev.dockerproxy.cli;

/**
 * What the access log writes at a Tecnativa/HAProxy log level: {@code debug} and {@code info} log
 * every request; {@code notice} and {@code warning} (or {@code warn}) only denied requests; {@code
 * err} and above no requests (start-up lines and errors are always printed).
 */
public final class LogLevel {

    private LogLevel() {}

    /** Whether a request with this outcome is logged at {@code level}. */
    public static boolean logsRequest(String level, boolean allowed) {
        switch (level) {
            case "debug":
            case "trace":
            case "info":
                return true;
            case "notice":
            case "warning":
            case "warn":
                return !allowed;
            default:
                return false;
        }
    }
}
