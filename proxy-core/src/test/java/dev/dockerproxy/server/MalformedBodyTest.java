package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An allowed request whose chunked body turns out to be malformed or too large after its head was
 * forwarded: the daemon's connection is aborted (it never sees a complete request), and the client
 * gets a clear error instead of a silent close.
 */
class MalformedBodyTest {

    private static final String HEAD =
            "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "zz\r\nabc\r\n0\r\n\r\n",
                "3\r\nabcXX\r\n0\r\n\r\n",
                "-1\r\nabc\r\n0\r\n\r\n",
                "3 ; ext\r\nabc\r\nFFFFFFFFFFFFFFFFFFFF\r\n"
            })
    void malformedChunkedBodyGets400AndTheUpstreamNeverCompletes(String body) throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
                RawClient c = h.client()) {
            RawClient.Response r = c.send(HEAD + body).readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("malformed chunked body");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(h.upstream().received()).doesNotContain("\r\n0\r\n\r\n");
        }
    }

    @Test
    void chunkedBodyPastTheLimitGets413() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                                b -> b.maxRequestBody(8));
                RawClient c = h.client()) {
            RawClient.Response r =
                    c.send(HEAD + "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyText()).contains("exceeds the limit of 8 bytes");
            assertThat(h.upstream().received()).doesNotContain("ghijkl");
        }
    }
}
