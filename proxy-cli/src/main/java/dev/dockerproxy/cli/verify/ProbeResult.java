package dev.dockerproxy.cli.verify;

/**
 * What one probe found.
 *
 * @param probe the probe
 * @param sentTarget the request target as sent (with the API version prefix), or null if not sent
 * @param outcome reachable, blocked, inconclusive or not probed
 * @param status the HTTP status, or -1 without an answer
 * @param detail who answered and what they said
 * @param expectedAllowed what the expected policy says (null without {@code --expect})
 */
public record ProbeResult(
        Probe probe,
        String sentTarget,
        Outcome outcome,
        int status,
        String detail,
        Boolean expectedAllowed) {

    /**
     * Whether reality differs from the expected policy (never for endpoints that were not probed).
     */
    public boolean differs() {
        if (expectedAllowed == null || outcome == Outcome.NOT_PROBED) {
            return false;
        }
        if (outcome == Outcome.INCONCLUSIVE) {
            return true;
        }
        return expectedAllowed != (outcome == Outcome.REACHABLE);
    }

    /** One line explaining a difference. */
    public String differenceText() {
        String what = probe.method() + " " + sentTarget + " (" + probe.id() + ")";
        if (outcome == Outcome.INCONCLUSIVE) {
            return what
                    + ": expected "
                    + (expectedAllowed ? "allowed" : "denied")
                    + ", could not tell: "
                    + detail;
        }
        return what
                + ": expected "
                + (expectedAllowed ? "allowed" : "denied")
                + ", but it is "
                + outcome.label()
                + " ("
                + (status < 0 ? "no answer" : "HTTP " + status)
                + ", "
                + detail
                + ")";
    }
}
