package dev.dockerproxy.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A connected stream socket, TCP or UNIX, with what wire tests need: unbuffered streams, a read
 * timeout, half-close, abort and close.
 *
 * <p>TCP is a plain {@link Socket}. UNIX is a JDK {@link SocketChannel} (junixsocket's accepted
 * sockets cannot half-close on Java 25); its reads honour the timeout through a selector, so, as
 * with TCP, a read that timed out throws {@link SocketTimeoutException} and the socket stays
 * usable. Reading and writing from two threads at once is supported; each direction from one thread
 * at a time.
 */
public abstract class RawSocket implements Closeable {

    /** Connect timeout for TCP. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The streams, set by each transport's constructor. */
    InputStream in;

    OutputStream out;

    RawSocket() {}

    /** Connects to an {@link InetSocketAddress} (TCP) or a {@link UnixDomainSocketAddress}. */
    public static RawSocket connect(SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(address);
                return of(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        Socket s = new Socket();
        try {
            s.connect(address, (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return of(s);
    }

    /** Connects to the UNIX socket at {@code path}. */
    public static RawSocket unix(Path path) throws IOException {
        return connect(UnixDomainSocketAddress.of(path));
    }

    /** Connects to {@code host:port} over TCP. */
    public static RawSocket tcp(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port));
    }

    /** Wraps a connected TCP socket. */
    public static RawSocket of(Socket socket) {
        return new TcpSocket(socket);
    }

    /** Wraps a connected channel (UNIX or TCP); it is switched to non-blocking mode. */
    public static RawSocket of(SocketChannel channel) throws IOException {
        return new ChannelSocket(channel);
    }

    /** The input, unbuffered. */
    public final InputStream in() {
        return in;
    }

    /** The output, unbuffered. */
    public final OutputStream out() {
        return out;
    }

    /** One read that tells whether the peer's end (EOF) came. */
    @FunctionalInterface
    interface EndCheck {
        boolean ended() throws IOException;
    }

    /**
     * Runs {@code check} with a read timeout of {@code within}: its answer; {@code onTimeout}'s
     * when the timeout passed; {@code true} on any other failure (a reset ends the connection too).
     */
    boolean endedWithin(
            Duration within, EndCheck check, java.util.function.BooleanSupplier onTimeout)
            throws IOException {
        timeout(within);
        try {
            return check.ended();
        } catch (SocketTimeoutException e) {
            return onTimeout.getAsBoolean();
        } catch (IOException e) {
            return true;
        }
    }

    /** Sets the read timeout; zero waits forever. */
    public abstract void timeout(Duration timeout) throws IOException;

    /** The read timeout; zero means none. */
    public abstract Duration timeout() throws IOException;

    /** Half-closes: the peer reads EOF, this side can still read. */
    public abstract void shutdownOutput() throws IOException;

    /** Closes with a reset where the transport has one (TCP {@code SO_LINGER 0}), else plainly. */
    public abstract void abort();

    public abstract boolean isClosed();

    @Override
    public abstract void close() throws IOException;

    private static final class TcpSocket extends RawSocket {
        private final Socket socket;

        TcpSocket(Socket socket) {
            this.socket = socket;
            try {
                this.in = socket.getInputStream();
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalArgumentException("not a connected socket: " + socket, e);
            }
        }

        @Override
        public void timeout(Duration timeout) throws IOException {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        }

        @Override
        public Duration timeout() throws IOException {
            return Duration.ofMillis(socket.getSoTimeout());
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void abort() {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public String toString() {
            return "RawSocket[" + socket.getRemoteSocketAddress() + "]";
        }
    }

    /** A non-blocking channel driven through one selector per direction, opened on first wait. */
    private static final class ChannelSocket extends RawSocket {
        private final SocketChannel channel;
        private final Object readLock = new Object();
        private final Object writeLock = new Object();
        private volatile Selector readSelector;
        private volatile Selector writeSelector;
        private volatile long timeoutMillis;
        private final InputStream channelIn =
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return ChannelSocket.this.read(ByteBuffer.wrap(b, off, len));
                    }

                    @Override
                    public void close() throws IOException {
                        ChannelSocket.this.close();
                    }
                };
        private final OutputStream channelOut =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        ChannelSocket.this.write(ByteBuffer.wrap(b, off, len));
                    }

                    @Override
                    public void close() throws IOException {
                        ChannelSocket.this.close();
                    }
                };

        ChannelSocket(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.in = channelIn;
            this.out = channelOut;
            channel.configureBlocking(false);
        }

        private int read(ByteBuffer buf) throws IOException {
            if (!buf.hasRemaining()) {
                return 0;
            }
            synchronized (readLock) {
                long timeout = timeoutMillis;
                long deadline = System.nanoTime() + timeout * 1_000_000L;
                while (true) {
                    int n = channel.read(buf);
                    if (n != 0) {
                        return n;
                    }
                    long wait = 0;
                    if (timeout > 0) {
                        wait = (deadline - System.nanoTime()) / 1_000_000L;
                        if (wait <= 0) {
                            throw new SocketTimeoutException(
                                    "read timed out after " + timeout + " ms");
                        }
                    }
                    await(readSelector(), wait);
                }
            }
        }

        private void write(ByteBuffer buf) throws IOException {
            synchronized (writeLock) {
                while (buf.hasRemaining()) {
                    if (channel.write(buf) == 0) {
                        await(writeSelector(), 0);
                    }
                }
            }
        }

        private void await(Selector selector, long millis) throws IOException {
            try {
                selector.select(millis);
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                throw new SocketException("Socket closed");
            }
            if (!channel.isOpen()) {
                throw new SocketException("Socket closed");
            }
        }

        private Selector readSelector() throws IOException {
            if (readSelector == null) {
                readSelector = open(SelectionKey.OP_READ);
            }
            return readSelector;
        }

        private Selector writeSelector() throws IOException {
            if (writeSelector == null) {
                writeSelector = open(SelectionKey.OP_WRITE);
            }
            return writeSelector;
        }

        private Selector open(int ops) throws IOException {
            Selector s = Selector.open();
            try {
                channel.register(s, ops);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e instanceof IOException io ? io : new SocketException("Socket closed");
            }
            if (!channel.isOpen()) {
                s.close();
            }
            return s;
        }

        @Override
        public void timeout(Duration timeout) {
            timeoutMillis = timeout.toMillis();
        }

        @Override
        public Duration timeout() {
            return Duration.ofMillis(timeoutMillis);
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void abort() {
            try {
                close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }

        @Override
        public boolean isClosed() {
            return !channel.isOpen();
        }

        /**
         * Closes the channel and both selectors: the descriptor is released once no selector holds
         * it.
         */
        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                closeQuietly(readSelector);
                closeQuietly(writeSelector);
            }
        }

        private static void closeQuietly(Selector s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }

        @Override
        public String toString() {
            try {
                return "RawSocket[" + channel.getRemoteAddress() + "]";
            } catch (IOException e) {
                return "RawSocket[closed]";
            }
        }
    }
}
