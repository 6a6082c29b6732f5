package dev.dockerproxy.testkit.internal;

import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.HijackedConnection;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;

/**
 * Writes one {@link FakeResponse} to a connection, in whichever {@link FakeResponse.Behavior} it
 * asks for.
 */
final class ResponseWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final SessionInputBufferImpl buffer;
    private final InputStream in;
    private final OutputStream out;
    private final DaemonCore core;

    ResponseWriter(
            Socket socket,
            SessionInputBufferImpl buffer,
            InputStream in,
            OutputStream out,
            DaemonCore core) {
        this.socket = socket;
        this.buffer = buffer;
        this.in = in;
        this.out = out;
        this.core = core;
    }

    /** Writes the response; returns whether the connection may carry another request. */
    boolean write(RecordedRequest request, FakeResponse response)
            throws IOException, InterruptedException {
        sleep(response.headersDelay());
        switch (response.behavior()) {
            case DROP_CONNECTION:
                return false;
            case STALL:
                drainUntilClosed();
                return false;
            case HIJACK:
                hijack(request, response);
                return false;
            case EVENT_STREAM:
                streamEvents(response);
                return false;
            case RESPOND:
            default:
                return respond(request, response);
        }
    }

    private boolean respond(RecordedRequest request, FakeResponse response)
            throws IOException, InterruptedException {
        boolean close = "close".equalsIgnoreCase(request.header("Connection"));
        int status = response.status();
        boolean bodyAllowed = status >= 200 && status != 204 && status != 304;
        boolean head = request.method().equals("HEAD");
        StringBuilder h = statusLine(status, response.reason());
        boolean userLength = false;
        for (Map.Entry<String, String> e : response.headers()) {
            if (response.isChunked()
                    && (e.getKey().equalsIgnoreCase("Content-Length")
                            || e.getKey().equalsIgnoreCase("Transfer-Encoding"))) {
                continue;
            }
            userLength |= e.getKey().equalsIgnoreCase("Content-Length");
            header(h, e.getKey(), e.getValue());
        }
        if (bodyAllowed && response.isChunked()) {
            header(h, "Transfer-Encoding", "chunked");
        } else if (bodyAllowed && !userLength) {
            header(h, "Content-Length", Integer.toString(response.body().length));
        }
        if (close) {
            header(h, "Connection", "close");
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!bodyAllowed || head) {
            out.flush();
            return !close;
        }
        if (!response.isChunked()) {
            out.write(response.body());
            out.flush();
            return !close;
        }
        out.flush();
        for (FakeResponse.Chunk chunk : response.chunks()) {
            sleep(chunk.delay());
            writeChunk(chunk.bytes());
        }
        if (response.keepsStreamOpen()) {
            drainUntilClosed();
            return false;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return !close;
    }

    private void streamEvents(FakeResponse response) throws IOException, InterruptedException {
        StringBuilder h = statusLine(200, "OK");
        for (Map.Entry<String, String> e : response.headers()) {
            header(h, e.getKey(), e.getValue());
        }
        header(h, "Transfer-Encoding", "chunked");
        h.append("\r\n");
        EventBus.Subscription subscription = core.events().subscribe();
        try {
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread watcher =
                    new Thread(
                            () -> {
                                try {
                                    drainUntilClosed();
                                } catch (IOException ignored) {
                                    // closed either way
                                }
                                subscription.cancel();
                            },
                            "fake-docker-daemon-events-watch");
            watcher.setDaemon(true);
            watcher.start();
            for (String event; (event = subscription.next()) != null; ) {
                writeChunk((event + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            subscription.cancel();
        }
    }

    private void hijack(RecordedRequest request, FakeResponse response) throws IOException {
        boolean upgrade = "tcp".equalsIgnoreCase(request.header("Upgrade"));
        StringBuilder h = upgrade ? statusLine(101, "UPGRADED") : statusLine(200, "OK");
        for (Map.Entry<String, String> e : response.headers()) {
            header(h, e.getKey(), e.getValue());
        }
        if (upgrade) {
            header(h, "Connection", "Upgrade");
            header(h, "Upgrade", "tcp");
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        HijackedConnection connection = new Hijacked(request);
        try {
            response.hijackHandler().handle(connection);
            out.flush();
        } catch (IOException | RuntimeException e) {
            core.error(
                    "hijack handler "
                            + response.hijackHandler()
                            + " failed for "
                            + request
                            + ": "
                            + e);
        }
    }

    private final class Hijacked implements HijackedConnection {
        private final RecordedRequest request;
        private final InputStream input =
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        return buffer.read(in);
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return len == 0 ? 0 : buffer.read(b, off, len, in);
                    }
                };
        private final OutputStream output =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        out.flush();
                    }

                    @Override
                    public void flush() throws IOException {
                        out.flush();
                    }
                };

        Hijacked(RecordedRequest request) {
            this.request = request;
        }

        @Override
        public RecordedRequest request() {
            return request;
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void shutdownOutput() throws IOException {
            out.flush();
            Sockets.shutdownOutput(socket);
        }
    }

    private void writeChunk(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return; // an empty chunk would end the stream
        }
        out.write(Integer.toHexString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(bytes);
        out.write(CRLF);
        out.flush();
    }

    /** Reads and discards until the client closes (or the daemon closes the socket). */
    private void drainUntilClosed() throws IOException {
        byte[] discard = new byte[4096];
        while (buffer.read(discard, 0, discard.length, in) != -1) {
            // discard
        }
    }

    private static StringBuilder statusLine(int status, String reason) {
        return new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason)
                .append("\r\n");
    }

    private static void header(StringBuilder h, String name, String value) {
        h.append(name).append(": ").append(value).append("\r\n");
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    }
}
