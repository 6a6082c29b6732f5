package dev.dockerproxy.testkit.internal;

import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestParser;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * Serves one connection: reads request heads and bodies with HttpCore5's blocking codecs (owning
 * the session buffer, so a hijack keeps the bytes the client sent after its head), records each
 * request, writes the scripted response, and repeats while the connection is kept alive.
 */
final class ConnectionHandler implements Runnable {
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final Socket socket;
    private final int connectionIndex;
    private final DaemonCore core;

    ConnectionHandler(Socket socket, int connectionIndex, DaemonCore core) {
        this.socket = socket;
        this.connectionIndex = connectionIndex;
        this.core = core;
    }

    /** Keeps the raw request line, so the target is recorded exactly as sent. */
    private static final class CapturingParser extends DefaultHttpRequestParser {
        String requestLine;

        CapturingParser() {
            super(Http1Config.custom().setMaxHeaderCount(200).setMaxLineLength(64 * 1024).build());
        }

        @Override
        protected ClassicHttpRequest createMessage(CharArrayBuffer buffer)
                throws IOException, HttpException {
            requestLine = buffer.toString();
            return super.createMessage(buffer);
        }
    }

    @Override
    public void run() {
        try (Socket s = socket) {
            InputStream in = s.getInputStream();
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            SessionInputBufferImpl buffer = new SessionInputBufferImpl(16 * 1024);
            CapturingParser parser = new CapturingParser();
            for (int exchange = 0; ; exchange++) {
                RecordedRequest request = readRequest(parser, buffer, in, out, exchange);
                if (request == null) {
                    return;
                }
                FakeResponse response = core.answer(request);
                ResponseWriter writer = new ResponseWriter(s, buffer, in, out, core);
                if (!writer.write(request, response)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the daemon is closing: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RecordedRequest readRequest(
            CapturingParser parser,
            SessionInputBufferImpl buffer,
            InputStream in,
            OutputStream out,
            int exchange)
            throws IOException {
        ClassicHttpRequest head;
        parser.requestLine = null;
        try {
            head = parser.parse(buffer, in);
        } catch (HttpException e) {
            String line =
                    parser.requestLine == null ? "<none>" : Escapes.printable(parser.requestLine);
            core.error(
                    "connection "
                            + connectionIndex
                            + ": malformed request (request line "
                            + line
                            + "): "
                            + e.getMessage());
            writeBadRequest(out, "malformed request: " + e.getMessage());
            return null;
        }
        if (head == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Header h : head.getHeaders()) {
            headers.add(Map.entry(h.getName(), h.getValue()));
        }
        String[] parts = parser.requestLine.split(" ", 3);
        String target = parts.length > 1 ? parts[1] : head.getRequestUri();
        byte[] body;
        try {
            if (head.getHeader("Expect") != null
                    && "100-continue".equalsIgnoreCase(head.getHeader("Expect").getValue())) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            body = readBody(head, buffer, in);
        } catch (HttpException | BodyTooLargeException e) {
            problems.add("body not read: " + e.getMessage());
            RecordedRequest r =
                    new RecordedRequest(
                            core.nextSequenceNumber(),
                            connectionIndex,
                            exchange,
                            head.getMethod(),
                            target,
                            headers,
                            new byte[0],
                            problems);
            core.journal().record(r);
            writeBadRequest(out, e.getMessage());
            return null;
        }
        return new RecordedRequest(
                core.nextSequenceNumber(),
                connectionIndex,
                exchange,
                head.getMethod(),
                target,
                headers,
                body,
                problems);
    }

    private static byte[] readBody(
            ClassicHttpRequest head, SessionInputBufferImpl buffer, InputStream in)
            throws IOException, HttpException, BodyTooLargeException {
        long length = DefaultContentLengthStrategy.INSTANCE.determineLength(head);
        InputStream body;
        if (length == ContentLengthStrategy.CHUNKED) {
            body = new ChunkedInputStream(buffer, in);
        } else if (length > 0) {
            if (length > MAX_BODY) {
                throw new BodyTooLargeException(length);
            }
            body = new ContentLengthInputStream(buffer, in, length);
        } else {
            return new byte[0];
        }
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new BodyTooLargeException(bytes.length);
        }
        if (length >= 0 && bytes.length < length) {
            throw new IOException("connection closed inside the body");
        }
        return bytes;
    }

    private static void writeBadRequest(OutputStream out, String message) throws IOException {
        byte[] body =
                ("{\"message\":" + JsonQuote.quote(message) + "}").getBytes(StandardCharsets.UTF_8);
        out.write(
                ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                + "Content-Length: "
                                + body.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static final class BodyTooLargeException extends Exception {
        BodyTooLargeException(long length) {
            super(
                    "body of "
                            + length
                            + " bytes exceeds the fake daemon's limit of "
                            + MAX_BODY
                            + " bytes");
        }
    }
}
