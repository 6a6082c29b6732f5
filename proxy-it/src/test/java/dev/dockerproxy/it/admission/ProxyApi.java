package dev.dockerproxy.it.admission;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Raw requests to the proxy over TCP with the JDK's HTTP client, so that the exact body shape and
 * API version prefix a test wrote are what the proxy sees.
 */
final class ProxyApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http;

    /**
     * @param dockerHost {@code tcp://127.0.0.1:PORT}, as {@code ProxyUnderTest.dockerHost()} gives
     *     it
     */
    ProxyApi(String dockerHost) {
        if (!dockerHost.startsWith("tcp://")) {
            throw new IllegalArgumentException("a TCP proxy is needed, got " + dockerHost);
        }
        this.base = URI.create("http://" + dockerHost.substring("tcp://".length()));
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    /** {@code POST target} with a JSON body ({@code null}: no body). */
    ApiResponse post(String target, String json) {
        HttpRequest.BodyPublisher body =
                json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8);
        return send(
                request(target).header("Content-Type", "application/json").POST(body),
                "POST " + target,
                json);
    }

    /**
     * Creates {@code name} through the proxy: busybox, no network, plus extra HostConfig members
     * (API 1.41).
     */
    ApiResponse create(String name, String extraHostConfig) {
        return post("/v1.41/containers/create?name=" + name, Admission.createBody(extraHostConfig));
    }

    /** {@code POST target} with a tar body, as {@code docker build} sends its context. */
    ApiResponse postTar(String target, byte[] tar) {
        return send(
                request(target)
                        .header("Content-Type", "application/x-tar")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(tar)),
                "POST " + target,
                "<tar>");
    }

    private HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(base.resolve(target)).timeout(TIMEOUT);
    }

    private ApiResponse send(HttpRequest.Builder b, String what, String shownBody) {
        String request = "proxy " + what + (shownBody == null ? "" : " " + shownBody);
        try {
            HttpResponse<String> r =
                    http.send(
                            b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(request, r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request, e);
        }
    }
}
