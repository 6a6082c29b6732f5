package dev.dockerproxy.testkit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dockerproxy.testkit.RecordedRequest;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WireMockDockerBridgeTest {
    private WireMockServer wireMock;
    private WireMockDockerBridge bridge;
    private Path dockerConfig;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wireMock.start();
        wireMock.stubFor(
                get("/_ping")
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody("OK")
                                        .withHeader("Api-Version", "1.41")
                                        .withHeader("Ostype", "linux")));
        bridge = WireMockDockerBridge.start(wireMock);
        dockerConfig = Files.createTempDirectory("docker-config");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
        bridge.close();
        wireMock.stop();
        Files.deleteIfExists(dockerConfig.resolve("config.json"));
        Files.deleteIfExists(dockerConfig);
    }

    private String[] docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/local/bin/docker"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DOCKER_HOST", bridge.dockerHost());
        pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("docker finished").isTrue();
        String[] result = {
            String.valueOf(p.exitValue()), Files.readString(out), Files.readString(err)
        };
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    @Test
    void theDockerCliSeesWireMockStubsAndWireMockVerifiesTheCalls() throws Exception {
        wireMock.stubFor(
                get(urlPathEqualTo("/v1.41/containers/json"))
                        .willReturn(
                                okJson(
                                        "[{\"Id\":\"1234567890ab1234567890ab\",\"Names\":[\"/from-wiremock\"],\"Image\":\"nginx\","
                                                + "\"Command\":\"nginx\",\"Created\":1700000000,\"State\":\"running\",\"Status\":\"Up 1 second\"}]")));

        String[] ps = docker("ps", "--format", "{{.Names}} {{.Image}}");

        assertThat(ps[1].trim()).as(String.join("\n", ps)).isEqualTo("from-wiremock nginx");
        wireMock.verify(
                getRequestedFor(urlPathEqualTo("/v1.41/containers/json"))
                        .withHeader(
                                "User-Agent",
                                com.github.tomakehurst.wiremock.client.WireMock.containing(
                                        "Docker-Client/")));
        assertThat(bridge.daemon().requests())
                .extracting(RecordedRequest::path)
                .contains("/_ping", "/containers/json");
    }

    @Test
    void requestBodiesReachWireMockForVerification() throws Exception {
        wireMock.stubFor(
                post(urlPathEqualTo("/v1.41/volumes/create"))
                        .willReturn(
                                aResponse()
                                        .withStatus(201)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"Name\":\"data\",\"Driver\":\"local\",\"Mountpoint\":\"/x\",\"Labels\":{},\"Scope\":\"local\",\"Options\":{}}")));

        String[] create = docker("volume", "create", "--label", "team=a", "data");

        assertThat(create[1].trim()).as(String.join("\n", create)).isEqualTo("data");
        wireMock.verify(
                postRequestedFor(urlPathEqualTo("/v1.41/volumes/create"))
                        .withRequestBody(matchingJsonPath("$.Name", equalTo("data")))
                        .withRequestBody(matchingJsonPath("$.Labels.team", equalTo("a"))));
    }

    @Test
    void anUnstubbedRequestGetsWireMocks404() throws Exception {
        String[] info = docker("network", "ls");

        assertThat(info[0]).isNotEqualTo("0");
        assertThat(wireMock.findAllUnmatchedRequests())
                .extracting(r -> r.getUrl())
                .contains("/v1.41/networks");
    }

    @Test
    void hijacksAreRefusedWithADockerStyleError() throws Exception {
        try (RawClient c = RawClient.unix(bridge.socketPath())) {
            c.send(
                    "POST /v1.41/exec/e1/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\n"
                            + "Upgrade: tcp\r\nContent-Length: 2\r\n\r\n{}");
            c.shutdownOutput();
            String response = c.readToEnd();

            assertThat(response)
                    .startsWith("HTTP/1.1 501")
                    .contains("the WireMock bridge cannot hijack connections");
        }
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void aStoppedWireMockGives502AndAClearMessage() throws IOException {
        wireMock.stop();
        try (RawClient c = RawClient.unix(bridge.socketPath())) {
            String response =
                    c.send("GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                            .readToEnd();

            assertThat(response).startsWith("HTTP/1.1 502").contains("could not reach WireMock");
        }
    }

    @Test
    void startingOnAStoppedServerSaysToStartItFirst() {
        WireMockServer stopped = new WireMockServer(options().dynamicPort());

        assertThatThrownBy(() -> WireMockDockerBridge.start(stopped))
                .hasMessageContaining("call wireMock.start() first");
    }
}
