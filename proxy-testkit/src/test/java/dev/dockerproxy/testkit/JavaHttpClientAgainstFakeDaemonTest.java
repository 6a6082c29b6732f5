package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A plain JVM HTTP client (java.net.http, so TCP) as a Docker client would use it. */
class JavaHttpClientAgainstFakeDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeDockerDaemon daemon;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        daemon = FakeDockerDaemon.onTcp().start();
        client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void listsContainersAsJson() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(daemon.url("/v1.41/containers/json")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Api-Version")).hasValue("1.41");
        JsonNode containers = JSON.readTree(response.body());
        assertThat(containers).hasSize(1);
        assertThat(containers.get(0).get("Names").get(0).asText()).isEqualTo("/fake-web");
    }

    @Test
    void aPostedBodyIsRecordedByteForByte() throws Exception {
        daemon.enqueue(
                "POST",
                "/containers/create",
                FakeResponse.json(201, "{\"Id\":\"c1\",\"Warnings\":[]}"));
        String body = "{\"Image\":\"local/busybox:latest\",\"Cmd\":[\"true\"]}";

        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(daemon.url("/v1.41/containers/create?name=job"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        RecordedRequest create = daemon.takeRequest(Duration.ofSeconds(5));
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/containers/create");
        assertThat(create.queryParameter("name")).isEqualTo("job");
        assertThat(create.bodyUtf8()).isEqualTo(body);
    }

    @Test
    void followsTheEventStreamLineByLine() throws Exception {
        HttpResponse<InputStream> response =
                client.send(
                        HttpRequest.newBuilder(daemon.url("/v1.41/events")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            daemon.awaitEventSubscribers(1, Duration.ofSeconds(5));
            daemon.pushEvent("{\"Type\":\"image\",\"Action\":\"pull\"}");
            daemon.pushEvent("{\"Type\":\"image\",\"Action\":\"tag\"}");

            assertThat(lines.readLine()).isEqualTo("{\"Type\":\"image\",\"Action\":\"pull\"}");
            assertThat(lines.readLine()).isEqualTo("{\"Type\":\"image\",\"Action\":\"tag\"}");
        }
    }

    @Test
    void aSlowDaemonTripsTheClientsTimeout() throws Exception {
        daemon.enqueue(FakeResponse.stall());

        java.util.concurrent.CompletableFuture<HttpResponse<String>> call =
                client.sendAsync(
                        HttpRequest.newBuilder(daemon.url("/v1.41/info"))
                                .timeout(Duration.ofMillis(200))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(call)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(java.net.http.HttpTimeoutException.class);
    }
}
