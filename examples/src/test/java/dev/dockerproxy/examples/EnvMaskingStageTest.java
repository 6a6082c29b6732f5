package dev.dockerproxy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.junit.FakeDocker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The masking stage in front of a fake daemon: the client sees env names, never values; other
 * answers pass.
 */
class EnvMaskingStageTest {
    @FakeDocker FakeDockerDaemon daemon;

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private DockerSocketProxy proxy() throws Exception {
        return new DockerSocketProxy(
                        ProxyConfig.builder()
                                .listen(ListenAddress.tcp("127.0.0.1", 0))
                                .upstream(UpstreamAddress.unix(daemon.socketPath()))
                                .policy(Presets.get("read-only"))
                                .responseStage(new EnvMaskingStage())
                                .build())
                .start();
    }

    private HttpResponse<String> get(DockerSocketProxy proxy, String path) throws Exception {
        URI uri =
                URI.create(
                        "http://"
                                + proxy.boundAddress().toString().substring("tcp://".length())
                                + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void envValuesAreMaskedAndEverythingElseIsKept() throws Exception {
        daemon.enqueue(
                "GET",
                "/containers/{id}/json",
                FakeResponse.json(
                        200,
                        "{\"Name\":\"/web\",\"Config\":{\"Env\":[\"DB_PASSWORD=hunter2\",\"PATH=/usr/bin\"],"
                                + "\"Labels\":{\"traefik.enable\":\"true\"}}}"));
        try (DockerSocketProxy proxy = proxy()) {
            HttpResponse<String> r = get(proxy, "/v1.41/containers/web/json");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .doesNotContain("hunter2", "/usr/bin")
                    .contains(
                            "\"DB_PASSWORD=<redacted>\"",
                            "\"PATH=<redacted>\"",
                            "\"traefik.enable\":\"true\"",
                            "\"Name\":\"/web\"");
        }
    }

    @Test
    void anAnswerThatIsNotJsonIsRefusedNotPassedOn() throws Exception {
        daemon.enqueue(
                "GET", "/containers/{id}/json", FakeResponse.json(200, "DB_PASSWORD=hunter2"));
        try (DockerSocketProxy proxy = proxy()) {
            HttpResponse<String> r = get(proxy, "/v1.41/containers/web/json");

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("not valid JSON").doesNotContain("hunter2");
        }
    }

    @Test
    void otherAnswersPassUntouched() throws Exception {
        try (DockerSocketProxy proxy = proxy()) {
            HttpResponse<String> ping = get(proxy, "/_ping");

            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("OK");
        }
    }
}
