package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HijackTest {

    private static final String UPGRADED =
            "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

    @Test
    void attachTunnelKeepsEarlyClientBytesAndDaemonBytesSentWithThe101Head() throws Exception {
        CompletableFuture<String> daemonGot = new CompletableFuture<>();
        CompletableFuture<String> requestHead = new CompletableFuture<>();
        FakeUpstream.Script script =
                conn -> {
                    requestHead.complete(conn.reader().readHead());
                    conn.write(UPGRADED + "DAEMON-HELLO");
                    daemonGot.complete(
                            new String(conn.reader().readExactly(11), StandardCharsets.US_ASCII));
                    conn.write("echo");
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: x\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nEARLY-STDIN");

            String head = c.reader().readHead();
            assertThat(head)
                    .startsWith("HTTP/1.1 101 UPGRADED")
                    .contains("Upgrade: tcp")
                    .contains("Content-Type: application/vnd.docker.raw-stream");
            assertThat(c.reader().readExactly(12)).asString().isEqualTo("DAEMON-HELLO");
            assertThat(daemonGot.get(5, TimeUnit.SECONDS)).isEqualTo("EARLY-STDIN");
            assertThat(c.reader().readExactly(4)).asString().isEqualTo("echo");
            assertThat(requestHead.get())
                    .contains("Upgrade: tcp\r\n")
                    .contains("Connection: Upgrade\r\n");
        }
    }

    @Test
    void clientStdinEofReachesTheDaemonWhileOutputStillFlows() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(UPGRADED);
                    byte[] stdin = conn.reader().readToEof();
                    conn.write("got " + new String(stdin, StandardCharsets.US_ASCII));
                    conn.write(" and more");
                    conn.shutdownOutput();
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            String body = "{\"Detach\":false,\"Tty\":false}";
            c.send(
                    "POST /exec/e1/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                            + "Content-Type: application/json\r\nContent-Length: "
                            + body.length()
                            + "\r\n\r\n"
                            + body);
            assertThat(c.reader().readHead()).startsWith("HTTP/1.1 101");
            c.send("input");
            c.shutdownOutput();

            assertThat(c.reader().readToEof()).asString().isEqualTo("got input and more");
        }
    }

    @Test
    void daemonEofReachesTheClientWhileStdinStillFlows() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        FakeUpstream.Script script =
                conn -> {
                    conn.reader().readHead();
                    conn.write(UPGRADED + "output-done");
                    conn.shutdownOutput();
                    later.complete(
                            new String(conn.reader().readExactly(5), StandardCharsets.US_ASCII));
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /containers/abc/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            assertThat(c.reader().readHead()).startsWith("HTTP/1.1 101");
            assertThat(c.reader().readToEof()).asString().isEqualTo("output-done");
            c.send("stdin");

            assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo("stdin");
        }
    }

    @Test
    void hijackWithout101UsesTheDaemons200RawStream() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n\r\nframes");
                    byte[] in = conn.reader().readExactly(3);
                    conn.write(in);
                    conn.close();
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send("POST /exec/e1/start HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}abc");
            String head = c.reader().readHead();
            assertThat(head)
                    .startsWith("HTTP/1.1 200")
                    .contains("application/vnd.docker.multiplexed-stream")
                    .doesNotContain("Transfer-Encoding");

            assertThat(c.reader().readToEof()).asString().isEqualTo("framesabc");
        }
    }

    @Test
    void upgradeOnANonHijackEndpointOpensNoTunnelAndLaterBytesAreJudged() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]"));
                RawClient c = h.client()) {
            c.send(
                    "GET /containers/json HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                            + "POST /containers/create HTTP/1.1\r\nHost: x\r\n\r\n");

            RawClient.Response first = c.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("[]");
            assertThat(c.readResponse().status()).as("denied").isIn(403, 405);
            assertThat(h.upstream.received())
                    .doesNotContainIgnoringCase("upgrade")
                    .doesNotContain("POST");
        }
    }

    @Test
    void bytesAfterADeniedHijackAreParsedAsRequestsAndJudged() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"));
                RawClient c = h.client()) {
            c.send(
                    "POST /containers/abc/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                            + "POST /containers/abc/stop HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(c.readResponse().status()).as("denied").isIn(403, 405);
            assertThat(c.readResponse().status()).as("denied").isIn(403, 405);
            assertThat(c.readResponse().bodyText()).isEqualTo("OK");
            assertThat(h.upstream.received()).doesNotContain("POST");
        }
    }

    @Test
    void daemon101ForANonHijackEndpointIsRefusedWith502() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(UPGRADED + "raw");
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), script);
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send("GET /containers/json HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("not a hijack endpoint");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void errorAnswerOnAHijackEndpointKeepsTheConnectionHttp() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    while (conn.readRequest() != null) {
                        conn.write(
                                "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n"
                                        + "{\"message\":\"x\"}".substring(0, 14));
                    }
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /containers/abc/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                            + "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(c.readResponse().status()).isEqualTo(409);
            assertThat(c.readResponse().status()).isEqualTo(409);
            assertThat(h.upstream.received()).contains("GET /_ping");
        }
    }

    @Test
    void halfCloseWorksForClientsOnAUnixListener() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(UPGRADED + "hello ");
                    byte[] stdin = conn.reader().readToEof();
                    conn.write(new String(stdin, StandardCharsets.US_ASCII) + " bye");
                    conn.shutdownOutput();
                };
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                script,
                                b -> b.listeners(java.util.List.of(ListenAddress.unixTemp())));
                RawClient c = h.client()) {
            c.send(
                    "POST /containers/abc/attach?stdin=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                            + "Upgrade: tcp\r\n\r\nstdin-data");
            assertThat(c.reader().readHead()).startsWith("HTTP/1.1 101");
            c.shutdownOutput();

            assertThat(c.reader().readToEof()).asString().isEqualTo("hello stdin-data bye");
        }
    }
}
