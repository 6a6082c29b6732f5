package dev.dockerproxy.server.internal;

/**
 * Why an allowed exchange could not be completed normally, raised by a stage of the pipeline and
 * answered in one place ({@link ConnectionHandler}). Either the client gets an error answer (status
 * and message), or, when the client went away, nothing.
 */
final class ExchangeFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Exception daemonError;
    private final boolean closeConnection;

    private ExchangeFailure(
            int status, String message, Exception daemonError, boolean closeConnection) {
        super(message, null, false, false);
        this.status = status;
        this.daemonError = daemonError;
        this.closeConnection = closeConnection;
    }

    /** The client went away: nothing is answered, {@code 499} is logged. */
    static ExchangeFailure clientGone() {
        return new ExchangeFailure(Outcome.CLIENT_GONE, "the client went away", null, true);
    }

    /**
     * The daemon could not be reached or failed: {@code 502} with {@code message}; {@code cause} is
     * reported to the listener as an upstream error.
     *
     * @param closeConnection whether the client connection must close after the answer (the
     *     exchange left it in an unknown state), besides the usual keep-alive rule
     */
    static ExchangeFailure daemonFailed(String message, Exception cause, boolean closeConnection) {
        return new ExchangeFailure(502, message, cause, closeConnection);
    }

    /**
     * The proxy refuses to pass the daemon's answer on (a response stage refused it, or it is too
     * large to check): {@code 502} with {@code message}.
     */
    static ExchangeFailure answerRefused(String message) {
        return new ExchangeFailure(502, message, null, false);
    }

    /**
     * The client's request (its body) turned out unacceptable while it was forwarded: 400 or 413.
     */
    static ExchangeFailure badRequest(int status, String message) {
        return new ExchangeFailure(status, message, null, true);
    }

    boolean clientWentAway() {
        return status == Outcome.CLIENT_GONE;
    }

    int status() {
        return status;
    }

    /** The daemon's failure to report to the listener, or {@code null}. */
    Exception daemonError() {
        return daemonError;
    }

    boolean closeConnection() {
        return closeConnection;
    }
}
