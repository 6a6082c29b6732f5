package dev.dockerproxy.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.assertj.DaemonAssertions;
import dev.dockerproxy.testkit.junit.FakeDocker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the embedded read-only proxy in front of a fake daemon and talks to it with java.net.http.
 */
class EmbeddedReadOnlyProxyTest {
    @FakeDocker FakeDockerDaemon daemon; // the "real" Docker daemon, on a temp UNIX socket

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    @Test
    void theEmbeddedProxyPrintsItsAddressPassesPingAndRefusesCreate() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (DockerSocketProxy proxy =
                EmbeddedReadOnlyProxy.start(
                        new String[] {daemon.socketPath().toString(), "0"},
                        new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            Matcher m =
                    Pattern.compile(
                                    "listening on tcp://(127\\.0\\.0\\.1:\\d+) \\(upstream unix://(\\S+)\\)")
                            .matcher(printed.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
            assertThat(m.group(2)).isEqualTo(daemon.socketPath().toString());
            URI base = URI.create("http://" + m.group(1));

            HttpResponse<String> ping =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/_ping")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> create =
                    http.send(
                            HttpRequest.newBuilder(base.resolve("/v1.41/containers/create"))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"Image\":\"alpine\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("OK");
            assertThat(create.statusCode()).as("POST is never allowed: 405").isEqualTo(405);
            assertThat(create.body())
                    .contains("denied: POST /v1.41/containers/create")
                    .contains("read-only");
            DaemonAssertions.assertThat(daemon).receivedExactly("GET /_ping");
        }
    }

    @Test
    void wrongArgumentsAreAnsweredWithAUsageLine() {
        PrintStream out =
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(
                        () ->
                                EmbeddedReadOnlyProxy.start(
                                        new String[] {"/var/run/docker.sock"}, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("usage: EmbeddedReadOnlyProxy");
        assertThatThrownBy(
                        () ->
                                EmbeddedReadOnlyProxy.start(
                                        new String[] {"/var/run/docker.sock", "http"}, out))
                .hasMessage("LISTEN_PORT must be a number 0..65535, was 'http'");
    }
}
