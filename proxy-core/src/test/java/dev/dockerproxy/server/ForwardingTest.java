package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingTest {

    private static final String OK_JSON =
            "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nDocker-Experimental: false\r\n"
                    + "Ostype: linux\r\nServer: Docker/20.10.24 (linux)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n[]";

    @Test
    void allowedRequestReachesUpstreamWithCanonicalTargetAndFixedHost() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            c.send(
                    "GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: api.moby.localhost\r\n"
                            + "User-Agent: Docker-Client/28.2.2\r\n\r\n");
            RawClient.Response r = c.readResponse();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("[]");
            String seen = h.upstream.received();
            assertThat(seen).startsWith("GET /v1.41/containers/json?all=1 HTTP/1.1\r\n");
            assertThat(seen).contains("Host: docker\r\n").doesNotContain("api.moby.localhost");
            assertThat(seen).contains("User-Agent: Docker-Client/28.2.2\r\n");
        }
    }

    @Test
    void daemonHeadersReachTheClientUnchanged() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            RawClient.Response r = c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(r.header("Api-Version")).isEqualTo("1.41");
            assertThat(r.header("Docker-Experimental")).isEqualTo("false");
            assertThat(r.header("Ostype")).isEqualTo("linux");
            assertThat(r.header("Server")).isEqualTo("Docker/20.10.24 (linux)");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        }
    }

    @Test
    void daemonHeaderLinesAreCleanedNotPassedOnRaw() throws Exception {
        String odd =
                "HTTP/1.1 200 OK\r\nX-Cr: a\rInjected: 1\r\nX-Nul: a\u0000b\r\nX-Spaced \t: v\r\n"
                        + "X-Fold: one\r\n two\r\nContent-Length: 2\r\n\r\n[]";
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(odd));
                RawClient c = h.client()) {
            RawClient.Response r = c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head().text())
                    .contains(
                            "\r\nX-Cr: a Injected: 1\r\n",
                            "\r\nX-Nul: a b\r\n",
                            "\r\nX-Spaced: v\r\n",
                            "\r\nX-Fold: one two\r\n");
            assertThat(r.head().text().replace("\r\n", "")).doesNotContain("\r", "\n", "\u0000");
            assertThat(r.bodyText()).isEqualTo("[]");
        }
    }

    @Test
    void aDaemonHeadThatIsNotHttpGets502AndTheClientConnectionKeepsWorking() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n"));
                RawClient c = h.client()) {
            RawClient.Response r = c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText())
                    .startsWith("{\"message\":\"")
                    .contains("system.ping")
                    .contains("not valid HTTP", "invalid character in a header field name")
                    .doesNotContain("cannot reach");
            RawClient.Response again =
                    c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            assertThat(again.status()).isEqualTo(502);
        }
    }

    @Test
    void aDaemonAnswerWithATransferCodingOtherThanChunkedGets502() throws Exception {
        for (String head :
                new String[] {
                    "Transfer-Encoding: gzip, chunked\r\n",
                    "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                    "Content-Length: 1x\r\n"
                }) {
            try (Harness h =
                            Harness.start(
                                    TestPolicies.readOnly(),
                                    FakeUpstream.answering(
                                            "HTTP/1.1 200 OK\r\n" + head + "\r\n0\r\n\r\n"));
                    RawClient c = h.client()) {
                RawClient.Response r =
                        c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

                assertThat(r.status()).as(head).isEqualTo(502);
                assertThat(r.bodyText()).as(head).contains("not valid HTTP");
            }
        }
    }

    @Test
    void aChunkedAnswerIsNotSplitIntoSmallerChunksAndTheDaemonConnectionIsReused()
            throws Exception {
        String big = "b".repeat(20_000);
        FakeUpstream.Script chunked =
                conn -> {
                    while (conn.readRequest() != null) {
                        conn.write(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        + "3;ext=1\r\n[1,\r\n"
                                        + Integer.toHexString(big.length())
                                        + "\r\n"
                                        + big
                                        + "\r\n"
                                        + "2\r\n2]\r\n0\r\nX-Trailer: t\r\n\r\n");
                    }
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), chunked);
                RawClient c = h.client()) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /containers/json HTTP/1.1\r\nHost: x\r\n\r\n");
                String head = c.reader().readHead();
                assertThat(head).contains("Transfer-Encoding: chunked\r\n");
                // each daemon chunk leaves whole; a small one already buffered with the next may
                // share its chunk
                assertThat(c.reader().readChunkSizes())
                        .isIn(List.of(3, big.length(), 2), List.of(3 + big.length(), 2));
            }
            assertThat(h.upstream.connectionCount())
                    .as("one daemon connection for both")
                    .isEqualTo(1);
        }
    }

    @Test
    void anInvalidAnswerOnAReusedDaemonConnectionIsNotSentAgain() throws Exception {
        FakeUpstream.Script goodThenBad =
                conn -> {
                    if (conn.readRequest() != null) {
                        conn.write(OK_JSON);
                    }
                    if (conn.readRequest() != null) {
                        conn.write("HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n");
                    }
                    while (conn.readRequest() != null) {
                        conn.write(OK_JSON);
                    }
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), goodThenBad);
                RawClient c = h.client()) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            RawClient.Response bad =
                    c.send("GET /_ping?n=2 HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(bad.status()).isEqualTo(502);
            assertThat(bad.bodyText()).contains("not valid HTTP");
            assertThat(h.upstream.received().split("GET /_ping\\?n=2 ", -1))
                    .as("sent to the daemon once")
                    .hasSize(2);
            assertThat(h.upstream.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void deniedRequestGetsDockerStyleJsonAndNeverReachesUpstream() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send("POST /v1.41/containers/abc/stop HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).as("denied").isIn(403, 405);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.bodyText()).startsWith("{\"message\":\"").contains("containers.stop");
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void malformedTargetGets400AndNothingReachesUpstream() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send("GET /containers/%2e%2e/json HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).startsWith("{\"message\":");
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void unknownMethodGets405() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            RawClient.Response r = c.send("BREW /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(r.status()).isEqualTo(405);
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreEachJudged() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            c.send(
                    "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "POST /containers/create HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /containers/json HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(c.readResponse().status()).isEqualTo(200);
            assertThat(c.readResponse().status()).as("denied").isIn(403, 405);
            assertThat(c.readResponse().status()).isEqualTo(200);
            String seen = h.upstream.received();
            assertThat(seen)
                    .contains("GET /_ping ")
                    .contains("GET /containers/json ")
                    .doesNotContain("POST");
        }
    }

    @Test
    void contentLengthBodyIsForwardedByteExact() throws Exception {
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        java.util.concurrent.atomic.AtomicReference<byte[]> got =
                new java.util.concurrent.atomic.AtomicReference<>();
        FakeUpstream.Script script =
                conn -> {
                    String head = conn.reader().readHead();
                    got.set(conn.reader().readBody(head, false));
                    conn.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                            "POST /containers/create?name=x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: "
                                    + body.length
                                    + "\r\n\r\n")
                    .send(body);

            assertThat(c.readResponse().status()).isEqualTo(201);
            assertThat(got.get()).isEqualTo(body);
            assertThat(h.upstream.received())
                    .startsWith("POST /containers/create?name=x HTTP/1.1\r\n")
                    .contains("Content-Length: 70000\r\n");
        }
    }

    @Test
    void emptyDeclaredBodyIsForwardedAsContentLengthZero() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering("HTTP/1.1 204 No Content\r\n\r\n"));
                RawClient c = h.client()) {
            assertThat(
                            c.send(
                                            "POST /v1.41/containers/abc/stop HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                                    .readResponse()
                                    .status())
                    .isEqualTo(204);
            assertThat(h.upstream.received())
                    .startsWith("POST /v1.41/containers/abc/stop HTTP/1.1\r\n")
                    .contains("Content-Length: 0\r\n");
        }
    }

    @Test
    void chunkedRequestBodyIsReframedAndForwardedByteExact() throws Exception {
        java.util.concurrent.atomic.AtomicReference<byte[]> got =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> gotHead =
                new java.util.concurrent.atomic.AtomicReference<>();
        FakeUpstream.Script script =
                conn -> {
                    String head = conn.reader().readHead();
                    gotHead.set(head);
                    got.set(conn.reader().readBody(head, false));
                    conn.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");

            assertThat(c.readResponse().status()).isEqualTo(200);
            assertThat(new String(got.get(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
            assertThat(gotHead.get()).contains("Transfer-Encoding: chunked\r\n");
        }
    }

    @Test
    void hopByHopHeadersAreNotForwardedEitherWay() throws Exception {
        String response =
                "HTTP/1.1 200 OK\r\nConnection: X-Daemon-Hop\r\nX-Daemon-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                        + "Proxy-Authenticate: Basic\r\nContent-Length: 2\r\n\r\nok";
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(response));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send(
                                    "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Secret\r\n"
                                            + "X-Secret: s\r\nKeep-Alive: 300\r\nTE: trailers\r\nTrailer: X-T\r\nProxy-Authorization: Basic x\r\n"
                                            + "Upgrade: tcp\r\nX-Registry-Auth: e2V9\r\n\r\n")
                            .readResponse();

            String seen = h.upstream.received();
            assertThat(seen)
                    .doesNotContainIgnoringCase("x-secret")
                    .doesNotContainIgnoringCase("keep-alive")
                    .doesNotContainIgnoringCase("\r\nTE:")
                    .doesNotContainIgnoringCase("trailer")
                    .doesNotContainIgnoringCase("proxy-")
                    .doesNotContainIgnoringCase("upgrade")
                    .doesNotContainIgnoringCase("connection:");
            assertThat(seen).contains("X-Registry-Auth: e2V9\r\n");
            assertThat(r.headers())
                    .doesNotContainKeys("x-daemon-hop", "keep-alive", "proxy-authenticate");
            assertThat(r.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void headNeverWaitsForABody() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    String head;
                    while ((head = conn.readRequest()) != null) {
                        conn.write(
                                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\n"
                                        + (head.startsWith("HEAD") ? "" : "OK"));
                    }
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), script);
                RawClient c = h.client()) {
            c.send("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\nGET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("2");
            assertThat(head.header("Api-Version")).isEqualTo("1.41");
            RawClient.Response second = c.readResponse();
            assertThat(second.bodyText()).isEqualTo("OK");
        }
    }

    @Test
    void expectContinueGetsInterimResponseFromTheProxyAndIsNotForwarded() throws Exception {
        java.util.concurrent.atomic.AtomicReference<byte[]> got =
                new java.util.concurrent.atomic.AtomicReference<>();
        FakeUpstream.Script script =
                conn -> {
                    String head = conn.reader().readHead();
                    got.set(conn.reader().readBody(head, false));
                    conn.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            assertThat(c.reader().readHead()).startsWith("HTTP/1.1 100");
            c.send("{}");
            assertThat(c.readResponse().status()).isEqualTo(201);
            assertThat(got.get()).containsExactly('{', '}');
            assertThat(h.upstream.received()).doesNotContainIgnoringCase("expect");
        }
    }

    @Test
    void deniedRequestWithBodyIsAnsweredAndConnectionClosed() throws Exception {
        try (Harness h = Harness.start(TestPolicies.readOnly(), FakeUpstream.answering(OK_JSON));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send(
                                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                                            + "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).as("denied").isIn(403, 405);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }
}
