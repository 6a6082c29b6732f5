package dev.dockerproxy.it.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The engine's API straight over its UNIX socket, never through the proxy: what the tests use to
 * set up objects and to inspect what the engine really applied. One connection per request ({@code
 * Connection: close}) through the shared {@link RawClient}, each read with a deadline.
 */
final class EngineApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path socket;

    EngineApi(Path socket) {
        this.socket = socket;
    }

    ApiResponse get(String path) {
        return send("GET", path, null, null);
    }

    ApiResponse post(String path, String json) {
        return send(
                "POST",
                path,
                "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse delete(String path) {
        return send("DELETE", path, null, null);
    }

    // ------------------------------------------------------------ objects

    /**
     * Creates a container directly on the engine and returns its id; fails the test when the engine
     * refuses.
     */
    String createContainer(String name, String body) {
        ApiResponse r = post("/v1.41/containers/create?name=" + enc(name), body);
        if (r.status() != 201) {
            throw new AssertionError("direct create failed: " + r);
        }
        return r.json().path("Id").asText();
    }

    void startContainer(String idOrName) {
        ApiResponse r = post("/v1.41/containers/" + enc(idOrName) + "/start", null);
        if (r.status() != 204 && r.status() != 304) {
            throw new AssertionError("direct start failed: " + r);
        }
    }

    /** {@code GET /containers/{name}/json}, empty when the engine has no such container. */
    Optional<JsonNode> inspectContainer(String idOrName) {
        return inspect("/v1.41/containers/" + enc(idOrName) + "/json");
    }

    Optional<JsonNode> inspectVolume(String name) {
        return inspect("/v1.41/volumes/" + enc(name));
    }

    Optional<JsonNode> inspectImage(String ref) {
        return inspect("/v1.41/images/" + ref + "/json");
    }

    private Optional<JsonNode> inspect(String path) {
        ApiResponse r = get(path);
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw new AssertionError("direct inspect failed: " + r);
        }
        return Optional.of(r.json());
    }

    /**
     * Removes every container, volume, network and image tag whose name contains {@code prefix}.
     */
    void removeEverythingNamed(String prefix) {
        String filter = enc("{\"name\":[\"" + prefix + "\"]}");
        for (JsonNode c : get("/v1.41/containers/json?all=1&filters=" + filter).json()) {
            delete("/v1.41/containers/" + c.path("Id").asText() + "?force=1&v=1");
        }
        for (JsonNode v : get("/v1.41/volumes?filters=" + filter).json().path("Volumes")) {
            delete("/v1.41/volumes/" + enc(v.path("Name").asText()) + "?force=1");
        }
        for (JsonNode n : get("/v1.41/networks?filters=" + filter).json()) {
            delete("/v1.41/networks/" + n.path("Id").asText());
        }
        for (JsonNode i : get("/v1.41/images/json").json()) {
            for (JsonNode tag : i.path("RepoTags")) {
                if (tag.asText().contains(prefix)) {
                    delete("/v1.41/images/" + tag.asText() + "?force=1&noprune=0");
                }
            }
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ HTTP/1.1 over the UNIX socket

    ApiResponse send(String method, String target, String contentType, byte[] body) {
        StringBuilder head =
                new StringBuilder()
                        .append(method)
                        .append(' ')
                        .append(target)
                        .append(" HTTP/1.1\r\n")
                        .append("Host: docker\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: ")
                    .append(contentType)
                    .append("\r\n")
                    .append("Content-Length: ")
                    .append(body.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = body == null ? h : concat(h, body);
        String what = "engine " + method + " " + target;
        try (RawClient c = RawClient.unix(socket).timeout(TIMEOUT)) {
            RawClient.Response r = c.send(request).readResponse("HEAD".equals(method));
            return new ApiResponse(what, r.status(), r.bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
