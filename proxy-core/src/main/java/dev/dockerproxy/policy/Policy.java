package dev.dockerproxy.policy;

/**
 * PLACEHOLDER: replaced by the real engine in the next commit. Signature is the contract.
 */
public final class Policy {
    /**
     * Judges one request head. Never throws for hostile input: malformed targets give a 400 decision.
     *
     * @param method    the request method exactly as received (case preserved)
     * @param rawTarget the request target exactly as received
     * @param client    who sent it
     */
    public Decision decide(String method, String rawTarget, ClientIdentity client) {
        throw new UnsupportedOperationException("policy engine arrives in the next commit");
    }
}
