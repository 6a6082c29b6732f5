package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;

/** What the server needs from a policy: one decision per request head. Must not throw. */
@FunctionalInterface
public interface RequestJudge {
    Decision decide(String method, String rawTarget, ClientIdentity client);
}
