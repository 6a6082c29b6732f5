package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request heads on which two HTTP parsers could disagree. HttpCore's default parser accepts several
 * of them (bare LF, obs-fold, NUL in values, "+2" lengths; see HttpCoreLeniencyTest); the proxy's
 * strict parser and framing check answer 400 (or 413/505), close the connection, and forward
 * nothing, so the smuggled second request never reaches the daemon.
 */
class SmugglingTest {

    private static final String SMUGGLED =
            "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";

    @ParameterizedTest
    @ValueSource(
            strings = {
                // CL + TE
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 70\r\n\r\n0\r\n\r\n",
                // duplicate and malformed lengths
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\n{}",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 0x2\r\n\r\n{}",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
                // transfer-codings other than a single chunked
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                // head syntax
                "POST /images/load HTTP/1.1\nHost: x\nContent-Length: 0\n\n",
                "POST /images/load HTTP/1.1\r\nHost: x\nContent-Length: 0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n Transfer-Encoding: chunked\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\nX-Cr: a\rContent-Length: 5\r\n\r\n",
                "POST /images/load HTTP/1.1\r\nHost: x\r\n\tContent-Length: 5\r\n\r\n",
                "POST  /images/load HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /images/load\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /images/load HTTP/2.0\r\nHost: x\r\n\r\n",
                "POST /images/load\r\n\r\n",
            })
    void ambiguousFramingIsRefusedAndNothingReachesUpstream(String request) throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
                RawClient c = h.client()) {
            RawClient.Response r = c.send(request + SMUGGLED).readResponse();

            assertThat(r.status()).isBetween(400, 505).isNotEqualTo(403);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.bodyText()).startsWith("{\"message\":\"docker-socket-proxy");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }
}
