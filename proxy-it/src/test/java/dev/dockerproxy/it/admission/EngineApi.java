package dev.dockerproxy.it.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The engine's API straight over its UNIX socket, never through the proxy: what the tests use to
 * set up objects and to inspect what the engine really applied. One connection per request
 * ({@code Connection: close}), read to EOF with a hard deadline. JDK only.
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
        return send("POST", path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse delete(String path) {
        return send("DELETE", path, null, null);
    }

    // ------------------------------------------------------------ objects

    /** Creates a container directly on the engine and returns its id; fails the test when the engine refuses. */
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

    /** Removes every container, volume, network and image tag whose name contains {@code prefix}. */
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
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = body == null ? h : concat(h, body);
        String what = "engine " + method + " " + target;
        try {
            return parse(what, exchange(request, what));
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + e.getMessage(), e);
        }
    }

    private byte[] exchange(byte[] request, String what) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                ch.write(out); // blocking: the engine reads request bodies promptly
            }
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new AssertionError(what + ": no complete answer within " + TIMEOUT + ", got: "
                            + got.toString(StandardCharsets.ISO_8859_1));
                }
                sel.select(left);
                sel.selectedKeys().clear();
                int n = ch.read(in);
                if (n < 0) {
                    return got.toByteArray();
                }
                got.write(in.array(), 0, in.position());
                in.clear();
            }
        }
    }

    private static ApiResponse parse(String what, byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0 || raw.length < 12) {
            throw new AssertionError(what + ": not an HTTP answer: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if (head.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new ApiResponse(what, status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < in.length) {
            int eol = indexOf(in, new byte[] {'\r', '\n'}, pos);
            if (eol < 0) {
                break;
            }
            String size = new String(in, pos, eol - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(in, eol + 2, Math.min(n, in.length - eol - 2));
            pos = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
