package dev.dockerproxy.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * "The application": lists the names of running containers through the Docker Engine API over TCP.
 * Its Docker calls are exactly {@code GET /_ping} and {@code GET /v1.41/containers/json}; {@code
 * MyAppDockerCallsTest} shows how to test that.
 */
public final class ContainerLister {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    /** {@code dockerHost} in {@code DOCKER_HOST} form: {@code tcp://127.0.0.1:2375}. */
    public ContainerLister(String dockerHost) {
        if (!dockerHost.startsWith("tcp://")) {
            throw new IllegalArgumentException(
                    "ContainerLister speaks HTTP over TCP; expected tcp://HOST:PORT, was "
                            + dockerHost);
        }
        this.base = URI.create("http://" + dockerHost.substring("tcp://".length()));
    }

    /** Names of running containers, without Docker's leading {@code /}. */
    public List<String> runningContainerNames() throws IOException, InterruptedException {
        HttpResponse<String> ping = get("/_ping");
        if (ping.statusCode() != 200) {
            throw new IOException(
                    "Docker is not answering: GET /_ping gave "
                            + ping.statusCode()
                            + " "
                            + ping.body());
        }
        HttpResponse<String> response = get("/v1.41/containers/json");
        if (response.statusCode() != 200) {
            throw new IOException(
                    "listing containers failed: "
                            + response.statusCode()
                            + " "
                            + JSON.readTree(response.body())
                                    .path("message")
                                    .asText(response.body()));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode container : JSON.readTree(response.body())) {
            String name = container.path("Names").path(0).asText();
            names.add(name.startsWith("/") ? name.substring(1) : name);
        }
        return names;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
