package dev.dockerproxy.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The daemon's chunks are relayed whole, flushed when nothing more is buffered, and bad framing is
 * the daemon's failure.
 */
class ChunkedRelayTest {

    /** Records each write and each flush, as the client's chunked framing stream sees them. */
    static final class Recorder extends OutputStream {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            events.add("write " + len);
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            events.add("flush");
        }
    }

    /** A source that returns at most {@code step} bytes a read, as a socket may. */
    private static InputStream trickling(String wire, int step) {
        byte[] all = wire.getBytes(StandardCharsets.ISO_8859_1);
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < all.length ? all[at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= all.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, step), all.length - at);
                System.arraycopy(all, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    private static String chunked(String... chunks) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks) {
            sb.append(Integer.toHexString(c.length())).append("\r\n").append(c).append("\r\n");
        }
        return sb.append("0\r\n\r\n").toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 1000, 1 << 20})
    void eachDaemonChunkLeavesInOneWriteHoweverTheBytesArrive(int step) throws IOException {
        String big = "x".repeat(40_000);
        Recorder out = new Recorder();
        long[] counter = new long[1];
        new ChunkedRelay(trickling(chunked("hello", big, "!"), step)).copy(out, counter);

        assertThat(out.bytes.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello" + big + "!");
        assertThat(counter[0]).isEqualTo(40_006);
        assertThat(out.events.stream().filter(e -> e.startsWith("write")))
                .containsExactly("write 5", "write 40000", "write 1");
    }

    @Test
    void aStreamIsFlushedAfterEveryChunkThatEndsWhatIsBuffered() throws IOException {
        Recorder out = new Recorder();
        new ChunkedRelay(trickling(chunked("{\"event\":1}", "{\"event\":2}"), 1))
                .copy(out, new long[1]);
        assertThat(out.events).containsExactly("write 11", "flush", "write 11", "flush");
    }

    @Test
    void chunksAlreadyBufferedTogetherAreNotFlushedOneByOneNorAtTheEnd() throws IOException {
        // the caller writes the last chunk and flushes it together with these: one write for a
        // small answer
        Recorder out = new Recorder();
        new ChunkedRelay(
                        new ByteArrayInputStream(
                                chunked("a", "b", "c").getBytes(StandardCharsets.ISO_8859_1)))
                .copy(out, new long[1]);
        assertThat(out.events).containsExactly("write 1", "write 1", "write 1");
    }

    @Test
    void chunksLargerThanTheBufferLeaveInBufferSizedPieces() throws IOException {
        String huge = "y".repeat(StreamCopy.MAX_BUFFER_SIZE * 2 + 10);
        Recorder out = new Recorder();
        new ChunkedRelay(trickling(chunked(huge), 4096)).copy(out, new long[1]);
        assertThat(out.events.stream().filter(e -> e.startsWith("write")))
                .containsExactly(
                        "write " + StreamCopy.MAX_BUFFER_SIZE,
                        "write " + StreamCopy.MAX_BUFFER_SIZE,
                        "write 10");
    }

    @Test
    void extensionsAndTrailersAreReadAndTheRelayStopsRightAfterTheBody() throws IOException {
        String wire = "5;name=value\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT";
        Recorder out = new Recorder();
        new ChunkedRelay(trickling(wire, 1)).copy(out, new long[1]);
        assertThat(out.bytes.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello");
        InputStream exact = trickling(wire, 1);
        new ChunkedRelay(exact).copy(new Recorder(), new long[1]);
        assertThat(new String(exact.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "z\r\nhello\r\n0\r\n\r\n",
                "\r\nhello\r\n0\r\n\r\n",
                "5\r\nhelloX\r\n0\r\n\r\n",
                "5\r\nhel",
                "-5\r\nhello\r\n0\r\n\r\n",
                "1000000000000000\r\n",
                "5\r\nhello\r\n"
            })
    void badFramingIsTheDaemonsFailure(String wire) {
        assertThatThrownBy(
                        () ->
                                new ChunkedRelay(trickling(wire, 2))
                                        .copy(new Recorder(), new long[1]))
                .isInstanceOf(StreamCopy.SourceException.class)
                .hasMessageContaining("chunked body");
    }

    @Test
    void anOverlongLineIsRefused() {
        String wire = "5" + " ".repeat(5000) + "\r\nhello\r\n0\r\n\r\n";
        assertThatThrownBy(
                        () ->
                                new ChunkedRelay(trickling(wire, 100))
                                        .copy(new Recorder(), new long[1]))
                .isInstanceOf(StreamCopy.SourceException.class)
                .hasMessageContaining("longer than");
    }
}
