package dev.dockerproxy.cli;

/** The process exit codes of {@code docker-socket-proxy}; each failure class has its own. */
public final class ExitCodes {
    /** Success; for {@code explain}: the request would be allowed. */
    public static final int OK = 0;

    /**
     * A failure at run time that is not one of the more specific ones below (verify: target
     * unreachable).
     */
    public static final int RUNTIME = 1;

    /** A usage error (unknown flag, bad value) or an invalid configuration. */
    public static final int CONFIG = 2;

    /** {@code explain}: the request would be denied. */
    public static final int DENIED = 3;

    /** A listener could not be bound (address in use, permission, live socket file). */
    public static final int LISTEN = 4;

    /** The upstream Docker daemon is unreachable or misconfigured. */
    public static final int UPSTREAM = 5;

    /** {@code verify --expect}: what the target allows differs from the expected policy. */
    public static final int MISMATCH = 6;

    /** The text used in every command's {@code --help} footer. */
    public static final String FOOTER =
            "%nExit codes:%n"
                    + "  0  ok (explain: the request would be allowed)%n"
                    + "  1  runtime failure%n"
                    + "  2  usage or configuration error (the message names the flag, variable or file:line:column)%n"
                    + "  3  explain: the request would be denied%n"
                    + "  4  a listener could not be bound%n"
                    + "  5  the upstream Docker daemon is unreachable%n"
                    + "  6  verify --expect: the target allows or blocks something the expected policy does not%n";

    private ExitCodes() {}
}
