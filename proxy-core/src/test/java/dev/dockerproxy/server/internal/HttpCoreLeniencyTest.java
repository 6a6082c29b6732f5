package dev.dockerproxy.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestParser;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Why the proxy has its own head parser: HttpCore 5.4's default request parser accepts each of
 * these heads: bare LF line ends, obs-fold, NUL in a value, a signed Content-Length (first
 * assertion; whitespace before the colon it does refuse), and the proxy's {@link
 * StrictRequestParser} or {@link RequestFraming} refuses each (second). If HttpCore ever becomes
 * strict, the first assertion fails and tells us.
 */
class HttpCoreLeniencyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "POST /x HTTP/1.1\nHost: a\nContent-Length: 2\n\n",
                "POST /x HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n Content-Length: 2\r\n\r\n",
                "POST /x HTTP/1.1\r\nHost: a\r\nX-Nul: a\u0000b\r\n\r\n",
                "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: +2\r\n\r\n",
            })
    void defaultParserAcceptsWhatTheStrictPathRefuses(String head) throws Exception {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        SessionInputBufferImpl lenientBuffer = new SessionInputBufferImpl(4096);
        ClassicHttpRequest lenient =
                new DefaultHttpRequestParser()
                        .parse(lenientBuffer, new ByteArrayInputStream(bytes));
        assertThat(lenient).as("HttpCore's default parser accepts it").isNotNull();
        long length = DefaultContentLengthStrategy.INSTANCE.determineLength(lenient);
        assertThat(length).isNotNull();

        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        try (ReadDeadlines deadlines = new ReadDeadlines(timer)) {
            ClientInput input = new ClientInput(new FakeSocket(bytes), deadlines);
            StrictRequestParser strict = new StrictRequestParser(input, 1_000_000_000L, 1000, 8192);
            assertThatThrownBy(
                            () -> {
                                ClassicHttpRequest r =
                                        strict.parse(new SessionInputBufferImpl(4096), input);
                                RequestFraming.of(r, Long.MAX_VALUE);
                            })
                    .isInstanceOf(BadRequestException.class);
        } finally {
            timer.shutdownNow();
        }
    }

    /** A socket whose input is canned bytes. */
    private static final class FakeSocket extends Socket {
        private final InputStream in;

        FakeSocket(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public void setSoTimeout(int timeout) {
            // canned bytes never block
        }
    }
}
