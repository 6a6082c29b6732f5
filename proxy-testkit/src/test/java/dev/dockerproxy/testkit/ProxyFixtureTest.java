package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.testkit.assertj.DaemonAssertions;
import dev.dockerproxy.testsupport.DockerCli;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A read-only proxy in front of a fake daemon: what the policy lets through reaches the daemon,
 * nothing else.
 */
class ProxyFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private static ProxyFixture.Builder readOnly() {
        return ProxyFixture.builder().policy(Presets.get("read-only"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(
                request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadOnlyProxyPassesListingContainersAndRefusesCreateBeforeItReachesTheDaemon()
            throws Exception {
        try (ProxyFixture fixture = readOnly().tcp().build().start()) {
            HttpResponse<String> list =
                    send(HttpRequest.newBuilder(fixture.url("/v1.41/containers/json")));
            HttpResponse<String> create =
                    send(
                            HttpRequest.newBuilder(fixture.url("/v1.41/containers/create"))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"Image\":\"local/busybox:latest\"}")));

            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(JSON.readTree(list.body()).get(0).get("Names").get(0).asText())
                    .isEqualTo("/fake-web");
            assertThat(create.statusCode()).as(create.body()).isEqualTo(405);
            JsonNode denial = JSON.readTree(create.body());
            assertThat(denial.get("message").asText())
                    .startsWith("denied: POST /v1.41/containers/create")
                    .contains("policy 'preset read-only'");
            DaemonAssertions.assertThat(fixture.daemon())
                    .receivedOnlyReads()
                    .received("GET", "/containers/json")
                    .neverReceived("POST", "/containers/create");
        }
    }

    @Test
    void dockerPsWorksThroughAReadOnlyProxyAndDockerRunIsRefusedWithTheProxysMessage()
            throws Exception {
        try (ProxyFixture fixture = readOnly().build().start()) {
            DockerCli docker =
                    DockerCli.on(fixture.dockerHost()).withTimeout(Duration.ofSeconds(30));
            DockerCli.Result ps = docker.run("ps", "--format", "{{.Names}} {{.Image}}");
            DockerCli.Result run = docker.run("run", "--rm", "local/busybox:latest", "true");

            assertThat(ps.exitCode()).as(ps.toString()).isZero();
            assertThat(ps.stdout().trim()).isEqualTo("fake-web local/busybox:latest");
            assertThat(run.timedOut()).as(run.toString()).isFalse();
            assertThat(run.exitCode()).as(run.toString()).isNotZero();
            assertThat(run.stderr())
                    .contains("Error response from daemon: denied: POST /v1.41/containers/create")
                    .contains("policy 'preset read-only'");
            DaemonAssertions.assertThat(fixture.daemon())
                    .receivedOnlyReads()
                    .received("GET", "/containers/json")
                    .neverReceived("POST", "/containers/create");
        }
    }

    @Test
    void theClientSideIsTheProxyNotTheDaemon() throws Exception {
        try (ProxyFixture unix = readOnly().build().start();
                ProxyFixture tcp = readOnly().tcp().build().start()) {
            assertThat(unix.dockerHost())
                    .isEqualTo("unix://" + unix.socketPath())
                    .isNotEqualTo(unix.daemon().dockerHost());
            assertThat(Files.exists(unix.socketPath())).isTrue();
            assertThat(tcp.dockerHost()).isEqualTo("tcp://127.0.0.1:" + tcp.port());
            assertThat(tcp.proxy().boundAddress().port()).isEqualTo(tcp.port());
            assertThatThrownBy(unix::port)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("use socketPath()");
            assertThatThrownBy(tcp::socketPath)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("use port()");
        }
    }

    @Test
    void startAndCloseAreIdempotentAndCloseStopsTheProxyThenItsOwnDaemon() throws Exception {
        ProxyFixture fixture = readOnly().build();
        assertThat(fixture.start()).isSameAs(fixture.start());
        var socket = fixture.socketPath();
        var proxy = fixture.proxy();

        fixture.close();
        fixture.close();

        assertThat(proxy.isRunning()).isFalse();
        assertThat(Files.exists(socket)).isFalse();
        assertThatThrownBy(() -> fixture.daemon().dockerHost())
                .hasMessageContaining("close() already called");
    }

    @Test
    void lifecycleErrorsSayWhatToDo() throws Exception {
        ProxyFixture fixture = readOnly().build();
        assertThatThrownBy(fixture::dockerHost)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the proxy fixture is not started; call start() first");

        fixture.close();

        assertThatThrownBy(fixture::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("close() already called; build a new ProxyFixture");
        assertThatThrownBy(fixture::proxy)
                .hasMessage("close() already called; build a new ProxyFixture");
        assertThatThrownBy(() -> ProxyFixture.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policy(Presets.get(\"read-only\"))");
    }

    @Test
    void aDaemonPassedInIsStartedIfNeededAndLeftRunningAfterClose() throws Exception {
        try (FakeDockerDaemon daemon = FakeDockerDaemon.onTcp()) {
            daemon.enqueue("GET", "/containers/json", FakeResponse.json(200, "[]"));
            try (ProxyFixture fixture = readOnly().daemon(daemon).tcp().build().start()) {
                HttpResponse<String> list =
                        send(HttpRequest.newBuilder(fixture.url("/containers/json")));

                assertThat(fixture.daemon()).isSameAs(daemon);
                assertThat(list.body()).isEqualTo("[]");
            }
            HttpResponse<String> ping = send(HttpRequest.newBuilder(daemon.url("/_ping")));

            assertThat(ping.body()).isEqualTo("OK");
            DaemonAssertions.assertThat(daemon)
                    .receivedExactly("GET /containers/json", "GET /_ping");
        }
    }

    @Test
    void configureAdjustsTheProxyConfigAfterTheFixtureDefaults() throws Exception {
        try (ProxyFixture fixture =
                readOnly().configure(c -> c.maxConnections(7)).build().start()) {
            assertThat(fixture.proxy().config().maxConnections()).isEqualTo(7);
            assertThat(fixture.proxy().config().upstream().path())
                    .isEqualTo(fixture.daemon().socketPath());
            assertThat(fixture.proxy().config().gracefulCloseTimeout())
                    .isEqualTo(Duration.ofSeconds(1));
        }
    }
}
