package dev.dockerproxy.it.faults;

import dev.dockerproxy.server.ListenAddress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A raw HTTP/1.1 client connection to the proxy's TCP listener: exact bytes out, strict parsing in. */
final class HttpClientConn implements AutoCloseable {

    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            return "chunked".equalsIgnoreCase(header("Transfer-Encoding"));
        }
    }

    record Response(Head head, byte[] body) {
        int status() {
            return head.status;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpClientConn(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        socket.setSoTimeout(30_000);
    }

    static HttpClientConn connect(ListenAddress proxy) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(proxy.host(), proxy.port()), 10_000);
        return new HttpClientConn(s);
    }

    Socket socket() {
        return socket;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    HttpClientConn timeout(Duration d) throws IOException {
        socket.setSoTimeout((int) d.toMillis());
        return this;
    }

    HttpClientConn send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends {@code GET path} and reads the whole response. */
    Response get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        return readResponse();
    }

    Head readHead() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        Map<String, String> headers = new TreeMap<>();
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new Head(Integer.parseInt(parts[1]), headers);
    }

    Response readResponse() throws IOException {
        Head head = readHead();
        if (head.status == 101 || head.status == 204 || head.status == 304) {
            return new Response(head, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.chunked()) {
            for (byte[] c; (c = readChunk()) != null; ) {
                body.write(c);
            }
        } else if (head.header("Content-Length") != null) {
            body.write(in.readNBytes(Integer.parseInt(head.header("Content-Length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(head, body.toByteArray());
    }

    /**
     * One chunk of a chunked body; {@code null} at the terminating chunk (a clean end). A connection that
     * ends inside the framing throws {@link EOFException}: the stream was cut, not finished.
     */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new EOFException("connection closed between chunks (no terminating chunk)");
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("connection closed inside a chunk");
        }
        String crlf = readLine();
        if (crlf == null || !crlf.isEmpty()) {
            throw new EOFException("bad chunk end");
        }
        return data;
    }

    /** A CRLF-terminated line, or {@code null} at a clean EOF before any byte. */
    private String readLine() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a line");
            }
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
    }

    /** Closes with a reset (SO_LINGER 0): a client process that dies. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // gone anyway
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
