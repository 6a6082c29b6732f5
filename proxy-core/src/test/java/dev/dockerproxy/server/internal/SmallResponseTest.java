package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.impl.io.DefaultHttpResponseWriter;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.message.BufferedHeader;
import org.apache.hc.core5.util.CharArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-write relay of small responses produces exactly the bytes HttpCore's writer would. */
class SmallResponseTest {

    @Test
    void headIsByteForByteWhatHttpCoreWrites() throws Exception {
        BasicClassicHttpResponse r = new BasicClassicHttpResponse(200, "OK");
        r.addHeader("Api-Version", "1.41");
        r.addHeader("Content-Type", "application/json");
        r.addHeader("X-Odd", "a\rb\nc\fd\u000be");
        r.addHeader("X-Empty", "");
        r.addHeader("Content-Length", "2");
        assertSameAsHttpCore(r);
        assertSameAsHttpCore(new BasicClassicHttpResponse(404, null));
        BasicClassicHttpResponse latin = new BasicClassicHttpResponse(500, "Erreur interne é");
        latin.addHeader("X-Latin", "caf\u00e9");
        assertSameAsHttpCore(latin);
        BasicClassicHttpResponse parsed = new BasicClassicHttpResponse(200, "OK");
        parsed.addHeader(BufferedHeader.create(line("Api-Version:1.41")));
        parsed.addHeader(BufferedHeader.create(line("X-Spaced:   v  ")));
        parsed.addHeader("Content-Length", "0");
        assertSameAsHttpCore(parsed);
    }

    private static CharArrayBuffer line(String line) {
        CharArrayBuffer b = new CharArrayBuffer(line.length());
        b.append(line);
        return b;
    }

    @Test
    void aHeadLargerThanTheLimitIsRefusedWithoutWritingPastIt() {
        BasicClassicHttpResponse r = new BasicClassicHttpResponse(200, "OK");
        r.addHeader("X-Big", "x".repeat(200));
        byte[] buf = new byte[300];
        Arrays.fill(buf, (byte) '#');
        assertThat(SmallResponse.formatHead(r, buf, 100)).isEqualTo(-1);
        for (int i = 100; i < buf.length; i++) {
            assertThat(buf[i]).isEqualTo((byte) '#');
        }
        assertThat(SmallResponse.formatHead(r, new byte[300], 300)).isPositive();
    }

    @Test
    void readFullyReadsAcrossShortReadsAndReportsAnEarlyEnd() throws Exception {
        byte[] data = "hello world".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream source = new ByteArrayInputStream(data);
        InputStream trickle = new InputStream() {      // like a socket: at most 3 bytes a read
            @Override
            public int read() {
                return source.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return source.read(b, off, Math.min(len, 3));
            }
        };
        byte[] buf = new byte[20];
        assertThat(SmallResponse.readFully(trickle, buf, 4, data.length)).isEqualTo(data.length);
        assertThat(new String(buf, 4, data.length, StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(SmallResponse.readFully(new ByteArrayInputStream(data), new byte[20], 0, 15)).isEqualTo(11);
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("daemon reset");
            }
        };
        assertThatThrownBy(() -> SmallResponse.readFully(failing, new byte[4], 0, 4))
                .isInstanceOf(StreamCopy.SourceException.class).hasMessageContaining("daemon reset");
    }

    private static void assertSameAsHttpCore(BasicClassicHttpResponse r) throws Exception {
        SessionOutputBufferImpl session = new SessionOutputBufferImpl(1024);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new DefaultHttpResponseWriter().write(r, session, expected);
        session.flush(expected);
        byte[] buf = new byte[1024];
        int n = SmallResponse.formatHead(r, buf, buf.length);
        assertThat(new String(buf, 0, n, StandardCharsets.ISO_8859_1))
                .isEqualTo(expected.toString(StandardCharsets.ISO_8859_1));
    }
}
