package dev.dockerproxy.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.server.ResponseStage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A response stage that keeps environment values out of container inspect answers: each {@code
 * Config.Env} entry {@code NAME=value} becomes {@code NAME=<redacted>}; every other key stays.
 *
 * <pre>
 * ProxyConfig.builder().policy(Presets.get("read-only")).responseStage(new EnvMaskingStage()) ...
 * </pre>
 *
 * An answer that is not the JSON object it expects is refused (the client gets 502), never passed
 * on.
 */
public final class EnvMaskingStage implements ResponseStage {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean inspects(Decision decision, Answer answer) {
        return decision.endpointId().equals("containers.inspect") && answer.status() == 200;
    }

    @Override
    public byte[] apply(Decision decision, Answer answer, byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (!(root instanceof ObjectNode)) {
                throw new IllegalStateException("expected a JSON object from containers.inspect");
            }
            if (root.path("Config").path("Env") instanceof ArrayNode env) {
                for (int i = 0; i < env.size(); i++) {
                    String entry = env.get(i).asText();
                    int eq = entry.indexOf('=');
                    env.set(
                            i,
                            TextNode.valueOf(
                                    (eq < 0 ? entry : entry.substring(0, eq)) + "=<redacted>"));
                }
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("the daemon's answer is not valid JSON", e);
        }
    }
}
