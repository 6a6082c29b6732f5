package dev.dockerproxy.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Docker's multiplexed stdio framing (non-TTY attach, exec and logs): each frame is an 8-byte
 * header {@code [stream, 0, 0, 0, size (4 bytes, big-endian)]} followed by {@code size} bytes.
 */
public final class StdStreamFrames {

    /** One decoded frame. */
    public static final class Frame {
        private final StdStream stream;
        private final byte[] payload;

        Frame(StdStream stream, byte[] payload) {
            this.stream = Objects.requireNonNull(stream, "stream");
            this.payload = payload.clone();
        }

        /** The stream the payload belongs to. */
        public StdStream stream() {
            return stream;
        }

        /** The payload (a copy). */
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload as UTF-8 text. */
        public String payloadUtf8() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return stream + "[" + payload.length + "]";
        }
    }

    private StdStreamFrames() {}

    /** One frame carrying {@code payload} on {@code stream}. */
    public static byte[] encode(StdStream stream, byte[] payload) {
        Objects.requireNonNull(stream, "stream");
        byte[] frame = new byte[8 + payload.length];
        frame[0] = (byte) stream.id();
        int n = payload.length;
        frame[4] = (byte) (n >>> 24);
        frame[5] = (byte) (n >>> 16);
        frame[6] = (byte) (n >>> 8);
        frame[7] = (byte) n;
        System.arraycopy(payload, 0, frame, 8, n);
        return frame;
    }

    /** One frame carrying UTF-8 {@code text} on {@code stream}. */
    public static byte[] encode(StdStream stream, String text) {
        return encode(stream, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the next frame, or returns {@code null} at a clean end of stream (between frames).
     *
     * @throws EOFException if the stream ends inside a frame
     * @throws IOException if the header names no Docker stream
     */
    public static Frame read(InputStream in) throws IOException {
        byte[] header = new byte[8];
        int first = in.read();
        if (first == -1) {
            return null;
        }
        header[0] = (byte) first;
        readFully(in, header, 1, 7);
        int size =
                ((header[4] & 0xff) << 24)
                        | ((header[5] & 0xff) << 16)
                        | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
        if (size < 0) {
            throw new IOException("frame size out of range: " + Integer.toUnsignedString(size));
        }
        StdStream stream;
        try {
            stream = StdStream.of(header[0] & 0xff);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "not a multiplexed stream: "
                            + e.getMessage()
                            + "; was the container started with a TTY?",
                    e);
        }
        byte[] payload = new byte[size];
        readFully(in, payload, 0, size);
        return new Frame(stream, payload);
    }

    /** Decodes every frame in {@code bytes}. */
    public static List<Frame> decodeAll(byte[] bytes) throws IOException {
        List<Frame> frames = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(bytes);
        for (Frame f; (f = read(in)) != null; ) {
            frames.add(f);
        }
        return frames;
    }

    /** Decodes every frame in {@code bytes} and concatenates the payloads of {@code stream}. */
    public static byte[] demultiplex(byte[] bytes, StdStream stream) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : decodeAll(bytes)) {
            if (f.stream() == stream) {
                out.write(f.payload);
            }
        }
        return out.toByteArray();
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n == -1) {
                throw new EOFException("stream ended inside a frame (" + len + " bytes missing)");
            }
            off += n;
            len -= n;
        }
    }
}
