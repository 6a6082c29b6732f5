package dev.dockerproxy.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted raw-socket daemon for wire tests: accepts on a temp UNIX socket or a TCP loopback
 * port, runs a {@link Script} per connection on its own thread, and records every byte it receives.
 *
 * <pre>{@code
 * try (FakeUpstream daemon = FakeUpstream.unix(FakeUpstream.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"))) {
 *     ... point the proxy at daemon.socketPath() ...
 *     assertThat(daemon.received()).contains("GET /_ping");
 * }
 * }</pre>
 *
 * <p>A script's connection stays open after the script returns, until the script or {@link
 * #close()} closes it. Threads are named {@code fake-upstream-*}.
 */
public final class FakeUpstream implements AutoCloseable {

    /** What to do with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void run(Conn conn) throws Exception;
    }

    /**
     * How a daemon listens and records: accept backlog, and whether received bytes are kept for
     * {@link #received()} (turn it off for bulk transfers).
     */
    public record Options(int backlog, boolean recording) {
        public static final Options DEFAULT = new Options(50, true);

        public Options withBacklog(int newBacklog) {
            return new Options(newBacklog, recording);
        }

        public Options withoutRecording() {
            return new Options(backlog, false);
        }
    }

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Path ownedDir;
    private final Script script;
    private final Options options;
    private final Queue<Conn> conns = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Thread acceptor;

    private FakeUpstream(ServerSocketChannel server, Path ownedDir, Script script, Options options)
            throws IOException {
        this.server = server;
        this.address = server.getLocalAddress();
        this.ownedDir = ownedDir;
        this.script = script;
        this.options = options;
        this.acceptor = new Thread(this::acceptLoop, "fake-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A daemon on a fresh socket in a temp directory under {@code /tmp} (short paths), removed on
     * close.
     */
    public static FakeUpstream unix(Script script) throws IOException {
        return unix(Options.DEFAULT, script);
    }

    public static FakeUpstream unix(Options options, Script script) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dspu");
        try {
            return new FakeUpstream(bindUnix(dir.resolve("d.sock"), options), dir, script, options);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    /**
     * A daemon on a given socket path (the directory is not deleted on close, the socket file is).
     */
    public static FakeUpstream unixAt(Path sock, Script script) throws IOException {
        return new FakeUpstream(bindUnix(sock, Options.DEFAULT), null, script, Options.DEFAULT);
    }

    /** A daemon on an ephemeral loopback TCP port. */
    public static FakeUpstream tcp(Script script) throws IOException {
        return tcp(Options.DEFAULT, script);
    }

    public static FakeUpstream tcp(Options options, Script script) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options.backlog());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new FakeUpstream(ch, null, script, options);
    }

    private static ServerSocketChannel bindUnix(Path sock, Options options) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(sock), options.backlog());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /** A script answering every request (body read by its framing) with {@code response}. */
    public static Script answering(String response) {
        return conn -> {
            while (conn.readRequest() != null) {
                conn.write(response);
            }
        };
    }

    /** Where it listens: a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}. */
    public SocketAddress address() {
        return address;
    }

    public boolean isUnix() {
        return address instanceof UnixDomainSocketAddress;
    }

    /** The UNIX socket's path; fails for a TCP daemon. */
    public Path socketPath() {
        if (address instanceof UnixDomainSocketAddress u) {
            return u.getPath();
        }
        throw new IllegalStateException("a TCP daemon has no socket path; use port()");
    }

    /** The TCP port; fails for a UNIX daemon. */
    public int port() {
        if (address instanceof InetSocketAddress i) {
            return i.getPort();
        }
        throw new IllegalStateException("a UNIX daemon has no port; use socketPath()");
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            Conn c;
            try {
                SocketChannel ch = server.accept();
                c = new Conn(RawSocket.of(ch), options.recording());
            } catch (IOException e) {
                return;
            }
            conns.add(c);
            connectionCount.incrementAndGet();
            accepted.add(c);
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    script.run(c);
                                } catch (Exception e) {
                                    c.failure = e;
                                    System.err.println("fake upstream script failed: " + e);
                                    e.printStackTrace();
                                }
                            },
                            "fake-upstream-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The next accepted connection, waiting up to {@code timeout}. */
    public Conn awaitConnection(Duration timeout) throws InterruptedException {
        Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no connection reached the fake upstream within " + timeout);
        }
        return c;
    }

    /** How many connections were accepted so far. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Everything every connection received, in connection order (empty without recording). */
    public String received() {
        StringBuilder b = new StringBuilder();
        conns.forEach(c -> b.append(c.received()));
        return b.toString();
    }

    /** Stops accepting (existing connections stay open): the daemon "goes away" for new clients. */
    public void stopAccepting() throws IOException {
        server.close();
    }

    /** Stops accepting and closes every connection; a temp socket is removed. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : conns) {
            c.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (address instanceof UnixDomainSocketAddress u) {
            Files.deleteIfExists(u.getPath());
        }
        if (ownedDir != null) {
            Files.deleteIfExists(ownedDir);
        }
    }

    /** One connection to the fake daemon. */
    public static final class Conn {
        private final RawSocket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final boolean recording;
        private final InputStream in;
        private final WireReader reader;
        private volatile Exception failure;
        private volatile boolean eof;

        Conn(RawSocket socket, boolean recording) {
            this.socket = socket;
            this.recording = recording;
            this.in =
                    new FilterInputStream(new BufferedInputStream(socket.in(), 16 * 1024)) {
                        @Override
                        public int read() throws IOException {
                            int c = super.read();
                            if (c >= 0) {
                                record(new byte[] {(byte) c}, 0, 1);
                            } else {
                                eof = true;
                            }
                            return c;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                record(b, off, n);
                            } else if (n < 0) {
                                eof = true;
                            }
                            return n;
                        }
                    };
            this.reader = new WireReader(in);
        }

        private void record(byte[] b, int off, int n) {
            if (recording) {
                synchronized (received) {
                    received.write(b, off, n);
                }
            }
        }

        /** What this connection received so far (ISO-8859-1). */
        public String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }

        /** The (buffered, recorded) input every read goes through. */
        public InputStream in() {
            return in;
        }

        public OutputStream out() {
            return socket.out();
        }

        public WireReader reader() {
            return reader;
        }

        /** What the script threw, or {@code null}. */
        public Exception failure() {
            return failure;
        }

        /** Reads one request (head and framed body); returns the head, or {@code null} at EOF. */
        public String readRequest() throws IOException {
            String head = reader.readHead();
            if (head != null) {
                reader.readBody(head, false);
            }
            return head;
        }

        /** Writes {@code s} as ISO-8859-1 bytes, flushed. */
        public void write(String s) throws IOException {
            write(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        public void write(byte[] b) throws IOException {
            socket.out().write(b);
            socket.out().flush();
        }

        /** Sets the read timeout; zero waits forever. */
        public void timeout(Duration timeout) throws IOException {
            socket.timeout(timeout);
        }

        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        /** Blocks reading until EOF; true when EOF (or a reset) arrived within the timeout. */
        public boolean awaitEof(Duration timeout) throws IOException {
            return socket.endedWithin(
                    timeout,
                    () -> {
                        reader.readToEof();
                        return true;
                    },
                    () -> eof);
        }

        public void close() throws IOException {
            socket.close();
        }
    }
}
