package dev.dockerproxy.policy;

/**
 * A request target or method that the proxy refuses as malformed or ambiguous. The message is a
 * reason safe to show to the client (it never contains raw control bytes).
 */
public final class MalformedRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRequestException(String reason) {
        super(reason);
    }
}
