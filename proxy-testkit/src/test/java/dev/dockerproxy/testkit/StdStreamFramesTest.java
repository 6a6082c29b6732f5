package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StdStreamFramesTest {

    @Test
    void encodeWritesTheEightByteHeaderThenThePayload() {
        byte[] frame = StdStreamFrames.encode(StdStream.STDERR, "hey");

        assertThat(frame).containsExactly(2, 0, 0, 0, 0, 0, 0, 3, 'h', 'e', 'y');
    }

    @Test
    void largePayloadSizesAreBigEndian() throws IOException {
        byte[] payload = new byte[70_000];
        Arrays.fill(payload, (byte) 'x');
        byte[] frame = StdStreamFrames.encode(StdStream.STDOUT, payload);

        assertThat(Arrays.copyOf(frame, 8)).containsExactly(1, 0, 0, 0, 0, 1, 0x11, 0x70);
        assertThat(StdStreamFrames.decodeAll(frame))
                .singleElement()
                .satisfies(f -> assertThat(f.payload()).hasSize(70_000));
    }

    @Test
    void decodeAllSplitsInterleavedStreams() throws IOException {
        byte[] bytes =
                DockerCliAgainstFakeDaemonTest.concat(
                        StdStreamFrames.encode(StdStream.STDOUT, "out1 "),
                        StdStreamFrames.encode(StdStream.STDERR, "err"),
                        StdStreamFrames.encode(StdStream.STDOUT, "out2"));

        assertThat(StdStreamFrames.decodeAll(bytes))
                .extracting(StdStreamFrames.Frame::toString)
                .containsExactly("STDOUT[5]", "STDERR[3]", "STDOUT[4]");
        assertThat(StdStreamFrames.demultiplex(bytes, StdStream.STDOUT))
                .asString()
                .isEqualTo("out1 out2");
    }

    @Test
    void readReturnsNullAtACleanEnd() throws IOException {
        assertThat(StdStreamFrames.read(new ByteArrayInputStream(new byte[0]))).isNull();
    }

    @Test
    void aStreamEndingInsideAFrameIsAnError() {
        byte[] cut = Arrays.copyOf(StdStreamFrames.encode(StdStream.STDOUT, "hello"), 10);

        assertThatThrownBy(() -> StdStreamFrames.decodeAll(cut))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("3 bytes missing");
    }

    @Test
    void ttyOutputIsNotMistakenForFrames() {
        assertThatThrownBy(() -> StdStreamFrames.decodeAll("hello world".getBytes()))
                .hasMessageContaining("not a multiplexed stream")
                .hasMessageContaining("TTY");
    }
}
