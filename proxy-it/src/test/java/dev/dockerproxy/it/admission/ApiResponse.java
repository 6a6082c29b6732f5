package dev.dockerproxy.it.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/** One HTTP answer, from the proxy or straight from the engine: status and body text. */
record ApiResponse(String request, int status, String body) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The body as JSON; a missing node when it is not JSON. */
    JsonNode json() {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The {@code message} of a Docker-style error body, or the whole body when there is none. */
    String message() {
        JsonNode m = json().path("message");
        return m.isTextual() ? m.asText() : body;
    }

    @Override
    public String toString() {
        String shown = body.length() > 600 ? body.substring(0, 600) + "…" : body;
        return request + " -> " + status + " " + shown.strip();
    }
}
