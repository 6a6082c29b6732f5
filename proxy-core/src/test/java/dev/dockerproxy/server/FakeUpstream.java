package dev.dockerproxy.server;

import dev.dockerproxy.server.internal.ListenerSocket;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted raw-socket daemon for wire tests: accepts on a temp UNIX socket or a TCP loopback
 * port, records every byte it receives, and runs a script per connection.
 */
final class FakeUpstream implements AutoCloseable {

    /** What to do with one accepted connection. */
    @FunctionalInterface
    interface Script {
        void run(Conn conn) throws Exception;
    }

    private final ListenerSocket server;
    private final UpstreamAddress address;
    private final Path dir;
    private final Script script;
    private final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private FakeUpstream(ListenerSocket server, UpstreamAddress address, Path dir, Script script) {
        this.server = server;
        this.address = address;
        this.dir = dir;
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "fake-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeUpstream unix(Script script) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dspu");
        Path sock = dir.resolve("d.sock");
        return new FakeUpstream(bindUnix(sock), UpstreamAddress.unix(sock), dir, script);
    }

    /** A fake daemon on a given socket path (the directory is not deleted on close). */
    static FakeUpstream unixAt(Path sock, Script script) throws IOException {
        return new FakeUpstream(bindUnix(sock), UpstreamAddress.unix(sock), null, script);
    }

    private static ListenerSocket bindUnix(Path sock) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(sock));
        return ListenerSocket.unix(ch, sock);
    }

    static FakeUpstream tcp(Script script) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FakeUpstream(ListenerSocket.tcp(server), UpstreamAddress.tcp("127.0.0.1", server.getLocalPort()),
                null, script);
    }

    /** A script answering every request (body read by its framing) with {@code response}. */
    static Script answering(String response) {
        return conn -> {
            while (conn.readRequest() != null) {
                conn.write(response);
            }
        };
    }

    UpstreamAddress address() {
        return address;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Conn c = new Conn(s);
                conns.add(c);
                accepted.add(c);
                Thread t = new Thread(() -> {
                    try {
                        script.run(c);
                    } catch (Exception e) {
                        c.failure = e;
                        System.err.println("fake upstream script failed: " + e);
                        e.printStackTrace();
                    }
                }, "fake-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The next accepted connection, waiting up to {@code timeout}. */
    Conn awaitConnection(Duration timeout) throws InterruptedException {
        Conn c = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no connection reached the fake upstream within " + timeout);
        }
        return c;
    }

    int connectionCount() {
        return conns.size();
    }

    /** Everything every connection received, in connection order. */
    String received() {
        StringBuilder b = new StringBuilder();
        conns.forEach(c -> b.append(c.received()));
        return b.toString();
    }

    /** Stops accepting (existing connections stay open): the daemon "goes away" for new clients. */
    void stopAccepting() throws IOException {
        server.close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Conn c : conns) {
            c.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("d.sock"));
            Files.deleteIfExists(dir);
        }
    }

    /** One connection to the fake daemon. */
    static final class Conn {
        private final Socket socket;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final WireReader reader;
        private final OutputStream out;
        volatile Exception failure;
        private volatile boolean eof;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            InputStream recording = new FilterInputStream(socket.getInputStream()) {
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
            this.reader = new WireReader(recording);
            this.out = socket.getOutputStream();
        }

        private void record(byte[] b, int off, int n) {
            synchronized (received) {
                received.write(b, off, n);
            }
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }

        WireReader reader() {
            return reader;
        }

        /** Reads one request (head and framed body); returns the head, or {@code null} at EOF. */
        String readRequest() throws IOException {
            String head = reader.readHead();
            if (head != null) {
                reader.readBody(head, false);
            }
            return head;
        }

        void write(String s) throws IOException {
            write(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        /** Blocks reading until EOF; true when EOF (or a reset) arrived within the timeout. */
        boolean awaitEof(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                reader.readToEof();
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return eof;
            } catch (IOException e) {
                return true;
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
