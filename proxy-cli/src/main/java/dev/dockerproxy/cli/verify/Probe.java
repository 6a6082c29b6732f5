package dev.dockerproxy.cli.verify;

import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.Section;
import java.nio.charset.StandardCharsets;

/**
 * One side-effect-free request for one catalog endpoint, or the reason it is not sent.
 *
 * @param endpoint the catalog endpoint the request exercises
 * @param target path and query without the {@code /vX.Y} prefix
 * @param body the request body, or {@code null} for none
 * @param readBody false for streams (only the response head is read)
 * @param unsafeReason why the endpoint is not probed, or {@code null} when it is
 * @param why why the request cannot change anything on a real daemon
 */
public record Probe(
        Endpoint endpoint,
        String target,
        byte[] body,
        boolean readBody,
        String unsafeReason,
        String why) {

    static Probe of(Endpoint endpoint, String target, String body, String why) {
        return new Probe(
                endpoint,
                target,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                true,
                null,
                why);
    }

    static Probe stream(Endpoint endpoint, String target, String why) {
        return new Probe(endpoint, target, null, false, null, why);
    }

    static Probe unsafe(Endpoint endpoint, String reason) {
        return new Probe(endpoint, null, null, false, reason, null);
    }

    public boolean probed() {
        return unsafeReason == null;
    }

    public String method() {
        return endpoint.method();
    }

    public String id() {
        return endpoint.id();
    }

    /**
     * Whether reaching this endpoint is dangerous: it runs code or opens a stream into a container
     * (exec), reads secrets or file contents (read-sensitive), changes state (write), or touches
     * swarm secrets and configs.
     */
    public boolean dangerous() {
        return endpoint.access() != AccessClass.READ
                || endpoint.section() == Section.SECRETS
                || endpoint.section() == Section.CONFIGS;
    }
}
