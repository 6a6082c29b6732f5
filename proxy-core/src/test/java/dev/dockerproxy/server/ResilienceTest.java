package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceTest {

    private static final String PONG =
            "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK";

    @Test
    void unreachableDaemonGives502NamingTheUpstreamAndTheProxyRecoversWhenItReturns()
            throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dsp");
        Path sock = dir.resolve("d.sock");
        ProxyConfig config =
                ProxyConfig.builder()
                        .listen(ListenAddress.tcp("127.0.0.1", 0))
                        .upstream(UpstreamAddress.unix(sock))
                        .policy(TestPolicies.readOnly())
                        .build();
        try (DockerSocketProxy proxy = new DockerSocketProxy(config).start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            RawClient.Response down =
                    c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.header("Content-Type")).isEqualTo("application/json");
            assertThat(down.bodyText())
                    .contains("cannot reach the Docker daemon at unix://" + sock)
                    .contains("check that the Docker daemon is running");

            try (FakeUpstream daemon = FakeUpstream.unixAt(sock, FakeUpstream.answering(PONG))) {
                RawClient.Response up =
                        c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                assertThat(up.status()).isEqualTo(200);
                assertThat(up.bodyText()).isEqualTo("OK");
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void daemonClosingAKeptAliveConnectionIsRetriedTransparently() throws Exception {
        FakeUpstream.Script oneRequestPerConnection =
                conn -> {
                    conn.readRequest();
                    conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
                    conn.close();
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), oneRequestPerConnection);
                RawClient c = h.client()) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            assertThat(h.upstream.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void slowlorisHeadTimesOutWhileAnotherClientIsServed() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(PONG),
                                b -> b.headerReadTimeout(Duration.ofMillis(300)));
                RawClient slow = h.client();
                RawClient fast = h.client()) {
            slow.send("GET /_ping HTTP/1.1\r\nHo");
            assertThat(fast.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            slow.send("st");

            RawClient.Response r = slow.readResponse();
            assertThat(r.status()).isEqualTo(408);
            assertThat(slow.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(fast.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void slowlorisOnAUnixListenerTimesOutToo() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(PONG),
                                b ->
                                        b.listeners(java.util.List.of(ListenAddress.unixTemp()))
                                                .headerReadTimeout(Duration.ofMillis(300)));
                RawClient slow = h.client();
                RawClient fast = h.client()) {
            slow.send("GET /_ping HTTP/1.1\r\nHo");
            assertThat(fast.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);

            assertThat(slow.readResponse().status()).isEqualTo(408);
            assertThat(slow.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void oversizeHeadGets431AndIsClosed() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(PONG),
                                b -> b.maxHeaderSize(2048));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send(
                                    "GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: "
                                            + "a".repeat(4096)
                                            + "\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).isEqualTo(431);
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void oversizeDeclaredBodyGets413() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering(PONG),
                                b -> b.maxRequestBody(1000));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send(
                                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).isEqualTo(413);
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503UntilASlotFrees() throws Exception {
        try (Harness h =
                Harness.start(
                        TestPolicies.readOnly(),
                        FakeUpstream.answering(PONG),
                        b -> b.maxConnections(1))) {
            RawClient first = h.client();
            assertThat(first.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            try (RawClient second = h.client()) {
                RawClient.Response r = second.readResponse();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.bodyText()).contains("connection limit of 1");
            }
            first.close();
            assertThat(
                            Poll.eventually(
                                    Duration.ofSeconds(5), () -> h.proxy.activeConnections() == 0))
                    .isTrue();
            try (RawClient third = h.client()) {
                assertThat(
                                third.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .readResponse()
                                        .status())
                        .isEqualTo(200);
            }
        }
    }
}
