package dev.dockerproxy.cli.verify;

/** What a probe found out. */
public enum Outcome {
    /** The daemon answered: the request went through the proxy. */
    REACHABLE,
    /** The proxy (or something in front of the daemon) refused the request. */
    BLOCKED,
    /** No conclusion: no answer, a timeout, or a gateway error without the daemon's signature. */
    INCONCLUSIVE,
    /** Not sent, because no request to this endpoint is known to be harmless. */
    NOT_PROBED;

    public String label() {
        switch (this) {
            case REACHABLE:
                return "reachable";
            case BLOCKED:
                return "blocked";
            case INCONCLUSIVE:
                return "inconclusive";
            default:
                return "not probed (unsafe)";
        }
    }
}
