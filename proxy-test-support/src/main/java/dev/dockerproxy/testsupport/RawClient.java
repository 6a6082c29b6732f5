package dev.dockerproxy.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A socket-level HTTP/1.1 client over TCP or a UNIX socket: exact bytes out, strict parsing in.
 *
 * <pre>{@code
 * try (RawClient c = RawClient.tcp(port)) {
 *     RawClient.Response r = c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
 * }
 * RawClient.Exchange x = RawClient.exchange(RawClient.unixAddress(sock), bytes, true, 2_000, 1 << 20, false);
 * }</pre>
 *
 * <p>Reads are buffered: use {@link #in()} or {@link #reader()}, never the socket's own stream. The
 * read timeout starts at 30 s. Not thread-safe, except that one thread may read while another
 * writes.
 */
public final class RawClient implements AutoCloseable {

    /** The read timeout a new client starts with. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A response head: its text up to and including CRLFCRLF, status and headers (see {@link
     * WireReader#headers}).
     */
    public record Head(String text, int status, Map<String, String> headers) {
        public static Head parse(String text) {
            return new Head(text, WireReader.status(text), WireReader.headers(text));
        }

        /** The value of header {@code name} (any case), or {@code null}. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean chunked() {
            return "chunked".equalsIgnoreCase(header("Transfer-Encoding"));
        }
    }

    /** A whole response. */
    public record Response(Head head, byte[] body) {
        public int status() {
            return head.status();
        }

        public Map<String, String> headers() {
            return head.headers();
        }

        public String header(String name) {
            return head.header(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final RawSocket socket;
    private final InputStream in;
    private final WireReader reader;

    private RawClient(RawSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.in(), 64 * 1024);
        this.reader = new WireReader(in);
        socket.timeout(DEFAULT_TIMEOUT);
    }

    /** Connects to an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}. */
    public static RawClient connect(SocketAddress address) throws IOException {
        return new RawClient(RawSocket.connect(address));
    }

    /** Connects to a {@code DOCKER_HOST}: {@code unix:///path} or {@code tcp://host:port}. */
    public static RawClient connect(String dockerHost) throws IOException {
        if (dockerHost.startsWith("unix://")) {
            return unix(Path.of(dockerHost.substring("unix://".length())));
        }
        if (dockerHost.startsWith("tcp://")) {
            java.net.URI uri = java.net.URI.create(dockerHost);
            return tcp(uri.getHost(), uri.getPort());
        }
        throw new IllegalArgumentException("not a unix:// or tcp:// DOCKER_HOST: " + dockerHost);
    }

    public static RawClient tcp(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port));
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static RawClient tcp(int port) throws IOException {
        return connect(tcpAddress(port));
    }

    public static RawClient unix(Path socketPath) throws IOException {
        return connect(unixAddress(socketPath));
    }

    public static SocketAddress tcpAddress(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public static SocketAddress unixAddress(Path path) {
        return UnixDomainSocketAddress.of(path);
    }

    /** Sends {@code text} as ISO-8859-1 bytes, flushed. */
    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.out().write(bytes);
        socket.out().flush();
        return this;
    }

    /** Sends {@code GET path} and reads the whole response. */
    public Response get(String path) throws IOException {
        send("GET " + path + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        return readResponse();
    }

    /**
     * Reads a response head; fails with {@link java.io.EOFException} when the connection ends
     * first.
     */
    public Head readHead() throws IOException {
        String h = reader.readHead();
        if (h == null) {
            throw new java.io.EOFException("connection closed before a response");
        }
        return Head.parse(h);
    }

    public Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads one response; {@code head} true when it answers a HEAD request (no body). */
    public Response readResponse(boolean head) throws IOException {
        Head h = readHead();
        int status = h.status();
        byte[] body =
                head || status == 101 || status == 204 || status == 304 || status < 200
                        ? new byte[0]
                        : reader.readBody(h.text(), true);
        return new Response(h, body);
    }

    /**
     * One chunk of a chunked body, {@code null} at the terminating chunk (see {@link
     * WireReader#readChunk}).
     */
    public byte[] readChunk() throws IOException {
        return reader.readChunk();
    }

    /**
     * Reads until {@code text} has been seen (ISO-8859-1); returns all read. Fails at EOF or the
     * timeout.
     */
    public String readUntil(String text) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith(text)) {
            int b = in.read();
            if (b == -1) {
                throw new java.io.EOFException(
                        "connection closed before '"
                                + text
                                + "'; got: "
                                + seen.toString(StandardCharsets.ISO_8859_1));
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the peer closes, as UTF-8. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Whether nothing at all (no byte, no EOF) arrives within {@code within}. */
    public boolean silentFor(Duration within) throws IOException {
        Duration old = socket.timeout();
        socket.timeout(within);
        try {
            in.read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.timeout(old);
        }
    }

    /**
     * Whether the peer closed the connection (EOF or reset) within {@code within}; a byte that
     * arrives is consumed.
     */
    public boolean closedWithin(Duration within) throws IOException {
        return socket.endedWithin(within, () -> in.read() < 0, () -> false);
    }

    /** Sets the read timeout; zero waits forever. */
    public RawClient timeout(Duration timeout) throws IOException {
        socket.timeout(timeout);
        return this;
    }

    /** The buffered input every read goes through. */
    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return socket.out();
    }

    /** An HTTP reader over {@link #in()}. */
    public WireReader reader() {
        return reader;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a reset on TCP (SO_LINGER 0): a client process that dies. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---------------------------------------------------------------- one-shot exchanges

    /**
     * What {@link #exchange} got back: bytes, whether the peer closed, and whether the deadline cut
     * the read.
     */
    public record Exchange(byte[] bytes, boolean eof, boolean timedOut, String error, long nanos) {

        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** Status code of the first response, or -1. */
        public int firstStatus() {
            String t = text();
            if (t.startsWith("HTTP/1.") && t.length() >= 12) {
                try {
                    return Integer.parseInt(t.substring(9, 12));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }
    }

    /**
     * Sends {@code request} while reading (a peer that answers early never blocks the write),
     * optionally half-closes, and reads until EOF, until {@code stopAfterHead} and a complete
     * response head was read, until {@code maxBytes}, or until {@code timeoutMillis} passed.
     * Non-blocking: no read can hang a test.
     */
    public static Exchange exchange(
            SocketAddress address,
            byte[] request,
            boolean halfClose,
            long timeoutMillis,
            int maxBytes,
            boolean stopAfterHead)
            throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean eof = false;
        boolean timedOut = false;
        String error = null;
        SocketChannel ch =
                address instanceof UnixDomainSocketAddress
                        ? SocketChannel.open(StandardProtocolFamily.UNIX)
                        : SocketChannel.open();
        try (ch;
                Selector sel = Selector.open()) {
            ch.connect(address);
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteBuffer inBuf = ByteBuffer.allocate(16384);
            SelectionKey key =
                    ch.register(
                            sel,
                            SelectionKey.OP_READ
                                    | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
            boolean shut = false;
            while (true) {
                if (!out.hasRemaining() && !shut) {
                    if (halfClose) {
                        try {
                            ch.shutdownOutput();
                        } catch (IOException e) {
                            // peer already gone
                        }
                    }
                    shut = true;
                    key.interestOps(SelectionKey.OP_READ);
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                sel.select(left);
                sel.selectedKeys().clear();
                if (key.isValid() && key.isWritable() && out.hasRemaining()) {
                    try {
                        ch.write(out);
                    } catch (IOException e) {
                        out.position(out.limit()); // peer closed: stop writing, read what it said
                        error = "write: " + e.getMessage();
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    inBuf.clear();
                    int n;
                    try {
                        n = ch.read(inBuf);
                    } catch (IOException e) {
                        error = "read: " + e.getMessage();
                        eof = true;
                        break;
                    }
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    got.write(inBuf.array(), 0, n);
                    if (got.size() >= maxBytes) {
                        break;
                    }
                    if (stopAfterHead && headComplete(got)) {
                        break;
                    }
                }
            }
        }
        return new Exchange(got.toByteArray(), eof, timedOut, error, System.nanoTime() - t0);
    }

    private static boolean headComplete(ByteArrayOutputStream got) {
        String s = got.toString(StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        // for an error response with a length, wait for the body too (the message tells the route)
        String head = s.substring(0, end).toLowerCase(Locale.ROOT);
        int cl = head.indexOf("\ncontent-length:");
        if (cl >= 0 && !head.startsWith("http/1.1 2")) {
            int eol = head.indexOf('\r', cl + 1);
            long len =
                    Long.parseLong(head.substring(cl + 16, eol < 0 ? head.length() : eol).trim());
            return s.length() - end - 4 >= Math.min(len, 4096);
        }
        return true;
    }
}
