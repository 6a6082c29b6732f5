package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.io.ByteArrayOutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real bytes on the UNIX socket: what the daemon parses, records and writes. */
class FakeDockerDaemonWireTest {
    private FakeDockerDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDockerDaemon().start();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void pingAnswersGetWithDockerHeaders() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String response =
                    c.send("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n").readUntil("\r\n\r\nOK");

            assertThat(response)
                    .startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("Api-Version: 1.41\r\n")
                    .contains("Docker-Experimental: false\r\n")
                    .contains("Ostype: linux\r\n")
                    .contains("Server: Docker/20.10.24 (linux)\r\n")
                    .contains("Content-Length: 2\r\n");
        }
    }

    @Test
    void headPingAnswersWithoutBodyAndKeepsTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String first =
                    c.send("HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n").readUntil("\r\n\r\n");
            String second =
                    c.send("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n")
                            .readUntil("\"MinAPIVersion\"");

            assertThat(first)
                    .startsWith("HTTP/1.1 200 OK")
                    .contains("Api-Version: 1.41")
                    .contains("Content-Length: 0");
            assertThat(second)
                    .startsWith("HTTP/1.1 200 OK")
                    .contains("Content-Type: application/json");
        }
        assertThat(daemon.requests())
                .extracting(RecordedRequest::exchangeIndex)
                .containsExactly(0, 1);
        assertThat(daemon.requests())
                .extracting(RecordedRequest::connectionIndex)
                .containsExactly(0, 0);
    }

    @Test
    void anyVersionPrefixIsAcceptedAndRecorded() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send(
                            "GET /v1.24/containers/json?all=1&filters=%7B%22name%22%3A%5B%22web%22%5D%7D HTTP/1.1\r\nHost: d\r\n\r\n")
                    .readUntil("fake-web");
        }
        RecordedRequest r = daemon.takeRequest(Duration.ofSeconds(5));

        assertThat(r.target())
                .isEqualTo(
                        "/v1.24/containers/json?all=1&filters=%7B%22name%22%3A%5B%22web%22%5D%7D");
        assertThat(r.path()).isEqualTo("/containers/json");
        assertThat(r.apiVersion()).isEqualTo("1.24");
        assertThat(r.queryParameter("all")).isEqualTo("1");
        assertThat(r.queryParameter("filters")).isEqualTo("{\"name\":[\"web\"]}");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void unknownRouteGetsDockerStyle404() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String response =
                    c.send(
                                    "DELETE /v1.41/containers/fake-web HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                            .readToEnd();

            assertThat(response)
                    .startsWith("HTTP/1.1 404 Not Found\r\n")
                    .endsWith("\r\n\r\n{\"message\":\"page not found\"}");
        }
        assertThat(daemon.unmatchedRequests())
                .extracting(RecordedRequest::toString)
                .containsExactly("DELETE /v1.41/containers/fake-web");
    }

    @Test
    void inspectOfAnUnknownContainerIsNoSuchContainer() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String response =
                    c.send(
                                    "GET /containers/nope/json HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                            .readToEnd();

            assertThat(response)
                    .startsWith("HTTP/1.1 404")
                    .endsWith("{\"message\":\"No such container: nope\"}");
        }
    }

    @Test
    void requestBodiesAreRecordedForContentLengthAndChunked() throws Exception {
        daemon.enqueue(FakeResponse.json(201, "{\"Id\":\"a\"}"));
        daemon.enqueue(FakeResponse.json(201, "{\"Id\":\"b\"}"));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send(
                            "POST /containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 13\r\n\r\n{\"Image\":\"x\"}")
                    .readUntil("{\"Id\":\"a\"}");
            c.send(
                            "POST /containers/create HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + "5\r\n{\"Ima\r\n8\r\nge\":\"y\"}\r\n0\r\n\r\n")
                    .readUntil("{\"Id\":\"b\"}");
        }

        assertThat(daemon.requests())
                .extracting(RecordedRequest::bodyUtf8)
                .containsExactly("{\"Image\":\"x\"}", "{\"Image\":\"y\"}");
    }

    @Test
    void theQueueAnswersInOrderBeforeTheDispatcher() throws Exception {
        daemon.enqueue(FakeResponse.error(500, "first"));
        daemon.enqueue(FakeResponse.error(409, "second"));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("first\"}"))
                    .startsWith("HTTP/1.1 500");
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("second\"}"))
                    .startsWith("HTTP/1.1 409");
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\nOK"))
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(daemon.queuedResponseCount()).isZero();
    }

    @Test
    void aPathEnqueuedResponseWaitsForItsRequest() throws Exception {
        daemon.enqueue(
                "POST", "/containers/{id}/start", FakeResponse.builder().status(204).build());
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\nOK"))
                    .startsWith("HTTP/1.1 200");
            assertThat(
                            c.send("POST /v1.41/containers/abc/start HTTP/1.1\r\nHost: d\r\n\r\n")
                                    .readUntil("\r\n\r\n"))
                    .startsWith("HTTP/1.1 204 No Content")
                    .doesNotContain("Content-Length");
        }
    }

    @Test
    void aCustomDispatcherAnswersEverything() throws Exception {
        daemon.setDispatcher(
                request -> FakeResponse.json(200, "{\"seen\":\"" + request.path() + "\"}"));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(
                            c.send("GET /v1.41/anything/at/all HTTP/1.1\r\nHost: d\r\n\r\n")
                                    .readUntil("}"))
                    .endsWith("{\"seen\":\"/anything/at/all\"}");
        }
        assertThat(daemon.unmatchedRequests()).isEmpty();
    }

    @Test
    void aThrowingDispatcherGives500AndAnError() throws Exception {
        daemon.setDispatcher(
                request -> {
                    throw new IllegalStateException("boom");
                });
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(
                            c.send("GET /info HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                                    .readToEnd())
                    .startsWith("HTTP/1.1 500")
                    .contains("boom");
        }
        assertThat(daemon.errors())
                .singleElement()
                .asString()
                .contains("GET /info")
                .contains("boom");
    }

    @Test
    void chunkedResponsesArriveChunkByChunk() throws Exception {
        daemon.enqueue(
                FakeResponse.builder()
                        .addChunk("{\"status\":\"one\"}\n", Duration.ZERO)
                        .addChunk("{\"status\":\"two\"}\n", Duration.ofMillis(300))
                        .build());
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String head =
                    c.send("POST /images/create?fromImage=x HTTP/1.1\r\nHost: d\r\n\r\n")
                            .readUntil("one\"}\n\r\n");
            long firstAt = System.nanoTime();
            String rest = c.readUntil("0\r\n\r\n");

            assertThat(head)
                    .contains("Transfer-Encoding: chunked")
                    .contains("11\r\n{\"status\":\"one\"}\n\r\n");
            assertThat(rest).isEqualTo("11\r\n{\"status\":\"two\"}\n\r\n0\r\n\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - firstAt))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void aStreamKeptOpenSendsItsChunksAndThenStaysSilent() throws Exception {
        daemon.enqueue(
                FakeResponse.builder()
                        .addChunk("line 1\n", Duration.ZERO)
                        .keepStreamOpen()
                        .build());
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send("GET /containers/x/logs?follow=1 HTTP/1.1\r\nHost: d\r\n\r\n")
                    .readUntil("line 1\n\r\n");

            assertThat(c.silentFor(Duration.ofMillis(300))).isTrue();
        }
    }

    @Test
    void aStalledResponseSendsNothing() throws Exception {
        daemon.enqueue(FakeResponse.stall());
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send("GET /containers/json HTTP/1.1\r\nHost: d\r\n\r\n");

            assertThat(c.silentFor(Duration.ofMillis(300))).isTrue();
        }
        assertThat(daemon.requestCount()).isEqualTo(1);
    }

    @Test
    void aSlowResponseArrivesAfterItsDelay() throws Exception {
        daemon.enqueue(
                FakeResponse.builder().headersDelay(Duration.ofMillis(300)).body("late").build());
        long start = System.nanoTime();
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("GET /info HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("late"))
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aDroppedConnectionClosesWithoutAnyResponse() throws Exception {
        daemon.enqueue(FakeResponse.dropConnection());
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String response;
            try {
                response = c.send("GET /info HTTP/1.1\r\nHost: d\r\n\r\n").readToEnd();
            } catch (SocketException reset) {
                response = "";
            }
            assertThat(response).isEmpty();
        }
    }

    @Test
    void anUpgradeHijackEchoesAndKeepsBytesSentRightAfterTheHead() throws Exception {
        daemon.enqueue(
                "POST", "/containers/{id}/attach", FakeResponse.hijack(HijackHandler.echo()));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String head =
                    c.send(
                                    "POST /v1.41/containers/fake-web/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: d\r\n"
                                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nsent-with-the-head")
                            .readUntil("sent-with-the-head");
            c.send("more");
            String more = c.readUntil("more");
            c.shutdownOutput();
            String end = c.readToEnd();

            assertThat(head)
                    .startsWith("HTTP/1.1 101 UPGRADED\r\n")
                    .contains("Content-Type: application/vnd.docker.raw-stream")
                    .contains("Connection: Upgrade\r\n")
                    .contains("Upgrade: tcp\r\n")
                    .endsWith("\r\n\r\nsent-with-the-head");
            assertThat(more).isEqualTo("more");
            assertThat(end).isEmpty();
        }
    }

    @Test
    void aHijackHandlerCanHalfCloseAndStillReadStdin() throws Exception {
        java.util.concurrent.CompletableFuture<String> stdin =
                new java.util.concurrent.CompletableFuture<>();
        daemon.enqueue(
                FakeResponse.hijack(
                        connection -> {
                            connection.output().write("bye".getBytes(StandardCharsets.UTF_8));
                            connection.shutdownOutput();
                            stdin.complete(
                                    new String(
                                            connection.input().readAllBytes(),
                                            StandardCharsets.UTF_8));
                        }));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            String output =
                    c.send(
                                    "POST /containers/x/attach?stdin=1 HTTP/1.1\r\nHost: d\r\nUpgrade: tcp\r\n"
                                            + "Connection: Upgrade\r\n\r\n")
                            .readToEnd();
            c.send("typed after EOF");
            c.shutdownOutput();

            assertThat(output).startsWith("HTTP/1.1 101 UPGRADED").endsWith("\r\n\r\nbye");
            assertThat(stdin.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("typed after EOF");
        }
        assertThat(daemon.errors()).isEmpty();
    }

    @Test
    void aHijackWithoutUpgradeAnswers200RawStream() throws Exception {
        daemon.enqueue(
                FakeResponse.hijack(
                        HijackHandler.writing(StdStreamFrames.encode(StdStream.STDOUT, "hi\n"))));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send(
                    "POST /exec/e1/start HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            byte[] all = c.in().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(all, bodyStart, all.length - bodyStart);

            assertThat(text)
                    .startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("application/vnd.docker.raw-stream")
                    .doesNotContain("Content-Length")
                    .doesNotContain("Upgrade");
            assertThat(StdStreamFrames.demultiplex(body.toByteArray(), StdStream.STDOUT))
                    .asString()
                    .isEqualTo("hi\n");
        }
    }

    @Test
    void aFailingHijackHandlerIsRecordedAsAnError() throws Exception {
        daemon.enqueue(
                FakeResponse.hijack(
                        connection -> {
                            throw new java.io.IOException("handler broke");
                        }));
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("POST /exec/e1/start HTTP/1.1\r\nHost: d\r\n\r\n").readToEnd())
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(daemon.errors()).singleElement().asString().contains("handler broke");
    }

    @Test
    void pushedEventsReachEveryOpenEventStreamAsChunks() throws Exception {
        try (RawClient a = RawClient.connect(daemon.dockerHost());
                RawClient b = RawClient.connect(daemon.dockerHost())) {
            a.send("GET /v1.41/events HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\n");
            b.send("GET /events?since=0 HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\n");
            daemon.awaitEventSubscribers(2, Duration.ofSeconds(5));

            int delivered = daemon.pushEvent("{ \"Type\": \"container\", \"Action\": \"die\" }");

            assertThat(delivered).isEqualTo(2);
            String expected = "{\"Type\":\"container\",\"Action\":\"die\"}\n";
            assertThat(a.readUntil(expected))
                    .isEqualTo(Integer.toHexString(expected.length()) + "\r\n" + expected);
            assertThat(b.readUntil(expected)).endsWith(expected);
        }
    }

    @Test
    void anEventStreamThatTheClientClosesIsNoLongerCounted() throws Exception {
        try (RawClient a = RawClient.connect(daemon.dockerHost())) {
            a.send("GET /events HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\n");
            daemon.awaitEventSubscribers(1, Duration.ofSeconds(5));
        }
        Poll.eventually(Duration.ofSeconds(5), () -> daemon.eventSubscriberCount() == 0);
        assertThat(daemon.eventSubscriberCount()).isZero();
    }

    @Test
    void awaitEventSubscribersSaysHowManyAreOpenWhenItTimesOut() {
        assertThatThrownBy(() -> daemon.awaitEventSubscribers(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 1 open /events stream(s)")
                .hasMessageContaining("but 0 open");
    }

    @Test
    void pushEventRejectsTextThatIsNotAJsonObject() {
        assertThatThrownBy(() -> daemon.pushEvent("container start"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expects one JSON object");
    }

    @Test
    void closingTheDaemonEndsOpenEventStreams() throws Exception {
        try (RawClient a = RawClient.connect(daemon.dockerHost())) {
            a.send("GET /events HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\n");
            daemon.awaitEventSubscribers(1, Duration.ofSeconds(5));

            daemon.close();

            String rest;
            try {
                rest = a.readToEnd();
            } catch (SocketException reset) {
                rest = "";
            }
            assertThat(rest).doesNotContain("Type");
        }
    }

    @Test
    void malformedPercentEncodingIsRecordedNotThrown() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            c.send("GET /containers/%zz/json HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                    .readToEnd();
        }
        RecordedRequest r = daemon.takeRequest(Duration.ofSeconds(5));

        assertThat(r.path()).isEqualTo("/containers/%zz/json");
        assertThat(r.problems()).singleElement().asString().contains("invalid percent-encoding");
    }

    @Test
    void aMalformedRequestGets400AndTheDaemonKeepsServing() throws Exception {
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("GARBAGE\r\n\r\n").readToEnd()).startsWith("HTTP/1.1 400");
        }
        try (RawClient c = RawClient.connect(daemon.dockerHost())) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("\r\n\r\nOK"))
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(daemon.errors()).singleElement().asString().contains("malformed request");
    }
}
