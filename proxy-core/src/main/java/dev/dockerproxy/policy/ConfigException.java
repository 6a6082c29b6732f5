package dev.dockerproxy.policy;

/**
 * A configuration error: the message names where it is (variable, or file, line and column) and
 * what to do about it.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String location;

    public ConfigException(String location, String message) {
        super(location + ": " + message);
        this.location = location;
    }

    public ConfigException(String location, String message, Throwable cause) {
        super(location + ": " + message, cause);
        this.location = location;
    }

    /** Where the error is: an environment variable name or {@code file:line:column}. */
    public String location() {
        return location;
    }
}
