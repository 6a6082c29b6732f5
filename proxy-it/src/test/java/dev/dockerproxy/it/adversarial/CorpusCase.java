package dev.dockerproxy.it.adversarial;

/**
 * One hostile request (or sequence of requests) of the corpus.
 *
 * @param category the corpus category (report groups by it)
 * @param id unique id, e.g. {@code enc-exec-s3-double}
 * @param expect what may reach the daemon: {@code auto} (derived: every request the policy allows
 *     arrives exactly, in order; nothing else), {@code first} (only the first request is parsed and
 *     judged; nothing after it may arrive), {@code none} (nothing may arrive, under any policy),
 *     {@code safe} (only the invariant: whatever arrives is allowed and is the canonical form of a
 *     request line in the case)
 * @param raw the raw bytes written to the proxy
 * @param source where the case came from (file line, generator)
 */
record CorpusCase(String category, String id, String expect, byte[] raw, String source) {

    @Override
    public String toString() {
        return category + "/" + id;
    }
}
