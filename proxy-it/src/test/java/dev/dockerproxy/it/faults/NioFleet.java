package dev.dockerproxy.it.faults;

import dev.dockerproxy.server.ListenAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Thousands of client connections driven by one selector thread (the test's caller), so the client
 * side costs one descriptor and no thread per connection. Each connection keeps what it received
 * (up to a cap).
 */
final class NioFleet implements AutoCloseable {

    private static final int KEEP = 4096;

    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<ByteArrayOutputStream> received = new ArrayList<>();
    private final List<Boolean> ended = new ArrayList<>();

    private NioFleet() throws IOException {
        this.selector = Selector.open();
    }

    /** Opens {@code n} connections to the proxy (blocking connects, then non-blocking reads). */
    static NioFleet open(ListenAddress proxy, int n) throws IOException {
        NioFleet f = new NioFleet();
        InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open(address);
                ch.configureBlocking(false);
                ch.register(f.selector, SelectionKey.OP_READ, i);
                f.channels.add(ch);
                f.received.add(new ByteArrayOutputStream());
                f.ended.add(false);
            }
        } catch (IOException | RuntimeException e) {
            f.close();
            throw new IOException(
                    "opened " + f.channels.size() + " of " + n + " connections: " + e, e);
        }
        return f;
    }

    int size() {
        return channels.size();
    }

    /** Writes {@code request} on every connection. */
    void sendAll(String request) throws IOException {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        for (SocketChannel ch : channels) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /**
     * Reads until every connection's received text satisfies {@code done}; fails with a count of
     * the unsatisfied ones (and a sample) when {@code timeout} passes first.
     */
    void awaitAll(Predicate<String> done, Duration timeout, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        boolean[] ok = new boolean[channels.size()];
        int satisfied = 0;
        for (int i = 0; i < ok.length; i++) {
            ok[i] = done.test(text(i));
            satisfied += ok[i] ? 1 : 0;
        }
        while (satisfied < channels.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                int firstMissing = -1;
                for (int i = 0; i < channels.size() && firstMissing < 0; i++) {
                    if (!done.test(text(i))) {
                        firstMissing = i;
                    }
                }
                throw new AssertionError(
                        what
                                + ": "
                                + satisfied
                                + " of "
                                + channels.size()
                                + " connections within "
                                + timeout
                                + "; e.g. connection "
                                + firstMissing
                                + " (ended="
                                + ended.get(firstMissing)
                                + ") received: "
                                + text(firstMissing));
            }
            selector.select(Math.max(1, left / 1_000_000));
            for (SelectionKey key : selector.selectedKeys()) {
                int i = (Integer) key.attachment();
                SocketChannel ch = (SocketChannel) key.channel();
                buf.clear();
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    ended.set(i, true);
                    key.cancel();
                } else if (n > 0 && received.get(i).size() < KEEP) {
                    received.get(i)
                            .write(buf.array(), 0, Math.min(n, KEEP - received.get(i).size()));
                    if (!ok[i] && done.test(text(i))) {
                        ok[i] = true;
                        satisfied++;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Connections the proxy closed so far. */
    long endedCount() {
        return ended.stream().filter(b -> b).count();
    }

    String text(int i) {
        return received.get(i).toString(StandardCharsets.ISO_8859_1);
    }

    /** Forgets what was received so far (the next {@link #awaitAll} judges new bytes only). */
    void clearReceived() {
        received.forEach(ByteArrayOutputStream::reset);
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel ch : channels) {
            ch.close();
        }
        selector.close();
    }
}
