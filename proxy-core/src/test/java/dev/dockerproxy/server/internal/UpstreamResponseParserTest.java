package dev.dockerproxy.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseWriter;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The daemon's response heads: what is accepted, what is cleaned, what is refused. */
class UpstreamResponseParserTest {

    private static final Http1Config CONFIG =
            Http1Config.custom()
                    .setBufferSize(1024)
                    .setMaxLineLength(8192)
                    .setMaxHeaderCount(256)
                    .build();

    @Test
    void parsesStatusAndHeadersAndLeavesTheBodyBuffered() throws Exception {
        Parsed p =
                parse(
                        "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type:application/json\r\n"
                                + "X-Spaced:   a b  \r\nContent-Length: 2\r\n\r\n{}");
        ClassicHttpResponse r = p.response;
        assertThat(r.getCode()).isEqualTo(200);
        assertThat(r.getReasonPhrase()).isEqualTo("OK");
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(values(r))
                .containsExactly(
                        "Api-Version=1.41",
                        "Content-Type=application/json",
                        "X-Spaced=a b",
                        "Content-Length=2");
        byte[] rest = new byte[8];
        assertThat(p.buffer.read(rest, 0, rest.length, p.in)).isEqualTo(2);
        assertThat(new String(rest, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("{}");
    }

    @Test
    void readsConsecutiveHeadsWithOneParser() throws Exception {
        byte[] bytes =
                ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\nServer: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
        InputStream in = new ByteArrayInputStream(bytes);
        SessionInputBufferImpl buffer =
                new SessionInputBufferImpl(16, 8192); // heads span many fills
        UpstreamResponseParser parser = new UpstreamResponseParser(CONFIG);
        ClassicHttpResponse first = parser.parse(buffer, in);
        ClassicHttpResponse second = parser.parse(buffer, in);
        assertThat(first.getCode()).isEqualTo(100);
        assertThat(first.getHeaders()).isEmpty();
        assertThat(second.getCode()).isEqualTo(404);
        assertThat(second.getReasonPhrase()).isEqualTo("Not Found");
        assertThat(second.getVersion()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(values(second)).containsExactly("Server=x");
    }

    @Test
    void aStatusLineWithoutReasonAndLeadingEmptyLinesAreAccepted() throws Exception {
        ClassicHttpResponse r = parse("\r\n\nHTTP/1.1 204\r\n\r\n").response;
        assertThat(r.getCode()).isEqualTo(204);
        assertThat(r.getReasonPhrase()).isEmpty(); // forwarded as received, not as "No Content"
    }

    @Test
    void whitespaceBeforeTheColonIsRemovedAndFoldedLinesAreJoinedWithOneSpace() throws Exception {
        ClassicHttpResponse r =
                parse(
                                "HTTP/1.1 200 OK\r\nX-Name \t: v\r\nX-Fold: first\r\n   second\r\n"
                                        + "\tthird  \r\nX-Empty:\r\n  late\r\n\r\n")
                        .response;
        assertThat(values(r))
                .containsExactly("X-Name=v", "X-Fold=first second third", "X-Empty=late");
    }

    @Test
    void controlCharactersInValuesBecomeSpacesSoNothingCanSplitTheForwardedHead() throws Exception {
        ClassicHttpResponse r =
                parse("HTTP/1.1 200 OK\r\nX-A: a\rb\u0000c\u0001d\te\r\nX-B: ok\nX-C: 7\r\n\r\n")
                        .response;
        assertThat(values(r)).containsExactly("X-A=a b c d\te", "X-B=ok", "X-C=7");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SessionOutputBufferImpl buffer = new SessionOutputBufferImpl(512);
        new DefaultHttpResponseWriter().write(r, buffer, bytes); // how the proxy writes every head
        buffer.flush(bytes);
        String head = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(head)
                .isEqualTo("HTTP/1.1 200 OK\r\nX-A: a b c d\te\r\nX-B: ok\r\nX-C: 7\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HTTP/1.1 20 OK",
                "HTTP/1.1 200OK",
                "HTTP/1.1 099 Low",
                "HTTP/11 200 OK",
                "HTTP/1.1  ",
                "FOO 200 OK",
                "http/1.1 200 OK",
                "HTTP/1.x 200 OK",
                "SSH-2.0-OpenSSH"
            })
    void invalidStatusLinesAreRefused(String statusLine) {
        assertThatThrownBy(() -> parse(statusLine + "\r\n\r\n"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid status line");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "NoColon",
                ": no name",
                "Bad Name: v",
                "B\u0000d: v",
                "Caf\u00e9: v",
                "   : folded first"
            })
    void invalidHeaderLinesAreRefused(String headerLine) {
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\n" + headerLine + "\r\n\r\n"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aConnectionThatEndsBeforeOrInsideAHeadIsAnError() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(NoHttpResponseException.class);
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("middle of a response head");
    }

    @Test
    void limitsAreEnforced() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "\r\n".repeat(UpstreamResponseParser.MAX_EMPTY_LINES + 1)
                                                + "HTTP/1.1 200 OK\r\n\r\n"))
                .isInstanceOf(MessageConstraintException.class);
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i <= 256; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        assertThatThrownBy(() -> parse(many + "\r\n"))
                .isInstanceOf(MessageConstraintException.class)
                .hasMessageContaining("header count");
        String longFold =
                "HTTP/1.1 200 OK\r\nX-Long: "
                        + "a".repeat(5000)
                        + "\r\n "
                        + "b".repeat(5000)
                        + "\r\n\r\n";
        assertThatThrownBy(() -> parse(longFold))
                .isInstanceOf(MessageConstraintException.class)
                .hasMessageContaining("line length");
        assertThatThrownBy(
                        () -> parse("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n"))
                .isInstanceOf(MessageConstraintException.class);
    }

    private static String[] values(ClassicHttpResponse r) {
        return Arrays.stream(r.getHeaders())
                .map(h -> h.getName() + "=" + h.getValue())
                .toArray(String[]::new);
    }

    private record Parsed(
            ClassicHttpResponse response, SessionInputBufferImpl buffer, InputStream in) {}

    private static Parsed parse(String wire) throws Exception {
        InputStream in = new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(1024, CONFIG.getMaxLineLength());
        return new Parsed(new UpstreamResponseParser(CONFIG).parse(buffer, in), buffer, in);
    }
}
