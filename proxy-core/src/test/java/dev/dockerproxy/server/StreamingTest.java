package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingTest {

    private static final String EVENTS_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n";

    /** A daemon that sends one chunk per string put into {@code events}; "" ends the stream. */
    private static FakeUpstream.Script eventStream(LinkedBlockingQueue<String> events) {
        return conn -> {
            conn.readRequest();
            conn.write(EVENTS_HEAD);
            while (true) {
                String e = events.take();
                if (e.isEmpty()) {
                    conn.write("0\r\n\r\n");
                    return;
                }
                conn.write(Integer.toHexString(e.length()) + "\r\n" + e + "\r\n");
            }
        };
    }

    @Test
    void eachEventChunkReachesTheClientAsSoonAsTheDaemonSendsIt() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Harness h = Harness.start(TestPolicies.readOnly(), eventStream(events));
                RawClient c = h.client()) {
            c.send("GET /v1.41/events HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = c.reader().readHead();
            assertThat(head).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
            c.timeout(Duration.ofMillis(2000));
            for (int i = 0; i < 5; i++) {
                String event = "{\"status\":\"start\",\"id\":\"" + i + "\"}\n";
                long t0 = System.nanoTime();
                events.put(event);
                byte[] chunk = c.reader().readChunk();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(new String(chunk, StandardCharsets.UTF_8)).isEqualTo(event);
                assertThat(millis).as("latency of event %d", i).isLessThan(1000);
            }
            events.put("");
            assertThat(c.reader().readChunk()).isNull();
        }
    }

    @Test
    void noIdleTimerCutsAnEstablishedStream() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                eventStream(events),
                                b ->
                                        b.headerReadTimeout(Duration.ofMillis(100))
                                                .idleTimeout(Duration.ofMillis(100)));
                RawClient c = h.client()) {
            c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            c.reader().readHead();

            assertThat(c.closedWithin(Duration.ofMillis(600)))
                    .as("stream closed while idle")
                    .isFalse();
            c.timeout(Duration.ofMillis(5000));
            events.put("late");
            assertThat(c.reader().readChunk()).containsExactly('l', 'a', 't', 'e');
        }
    }

    @Test
    void clientThatHangsUpMidStreamReleasesTheUpstreamAtOnce() throws Exception {
        CountDownLatch headSent = new CountDownLatch(1);
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(EVENTS_HEAD + "2\r\n{}\r\n");
                    headSent.countDown();
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), script)) {
            RawClient c = h.client();
            c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            c.reader().readHead();
            assertThat(c.reader().readChunk()).containsExactly('{', '}');
            FakeUpstream.Conn upstream = h.upstream.awaitConnection(Duration.ofSeconds(5));
            c.close();

            assertThat(upstream.awaitEof(Duration.ofSeconds(5))).as("upstream saw EOF").isTrue();
            assertThat(
                            Poll.eventually(
                                    Duration.ofSeconds(5), () -> h.proxy.activeConnections() == 0))
                    .isTrue();
        }
    }

    @Test
    void closeDelimitedDaemonBodyIsReframedAsChunkedForTheClient() throws Exception {
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n\r\nTARBYTES");
                    conn.close();
                };
        try (Harness h = Harness.start(TestPolicies.allowAll(), script);
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send("GET /containers/abc/logs?follow=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse();

            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.bodyText()).isEqualTo("TARBYTES");
        }
    }

    @Test
    void pipelinedRequestDuringAStreamIsKeptAndJudgedAfterIt() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        FakeUpstream.Script script =
                conn -> {
                    conn.readRequest();
                    conn.write(EVENTS_HEAD);
                    String e;
                    while (!(e = events.take()).isEmpty()) {
                        conn.write(Integer.toHexString(e.length()) + "\r\n" + e + "\r\n");
                    }
                    conn.write("0\r\n\r\n");
                    while (conn.readRequest() != null) {
                        conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
                    }
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), script);
                RawClient c = h.client()) {
            c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            c.reader().readHead();
            c.send(
                    "POST /containers/create HTTP/1.1\r\nHost: x\r\n\r\nGET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            events.put("a");
            assertThat(c.reader().readChunk()).containsExactly('a');
            events.put("");
            assertThat(c.reader().readChunk()).isNull();

            assertThat(c.readResponse().status()).as("denied").isIn(403, 405);
            assertThat(c.readResponse().bodyText()).isEqualTo("OK");
            assertThat(h.upstream.received()).doesNotContain("POST");
        }
    }

    @Test
    void daemonDyingMidStreamIsNotPassedOffAsACompleteBody() throws Exception {
        FakeUpstream.Script dying =
                conn -> {
                    conn.readRequest();
                    conn.write(EVENTS_HEAD + "2\r\n{}\r\n");
                    conn.close();
                };
        try (Harness h = Harness.start(TestPolicies.readOnly(), dying);
                RawClient c = h.client()) {
            c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
            c.reader().readHead();
            assertThat(c.reader().readChunk()).containsExactly('{', '}');

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.reader().readChunk())
                    .as("truncated stream must not end with a last chunk")
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
