package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link java.net.Socket} view of a JDK UNIX-domain {@link SocketChannel}, so HttpCore's
 * socket-based connections can use it.
 *
 * <p>Why not junixsocket here: on virtual threads, junixsocket 2.10 parks blocked reads through a
 * "naive" poller that runs blocking {@code poll()} calls on the common ForkJoinPool (one worker on
 * a two-core host), so a few idle streams delay each other by its poll interval. The JDK's own
 * channels park virtual threads on the JDK poller and block platform threads normally.
 *
 * <p>Also, junixsocket's accepted sockets report {@code isConnected() == false} on Java 25, so
 * {@code shutdownOutput()} (the tunnel's half-close) fails there.
 *
 * <p>Supported: streams (concurrent read and write from different threads), close, half-close and
 * addresses. Read timeouts are not: a blocking channel has none, and the proxy ends overdue client
 * reads with {@link ReadDeadlines} on its own timer; {@link #setSoTimeout} with anything but 0
 * throws instead of being silently ignored.
 */
public final class ChannelSocket extends java.net.Socket {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    public ChannelSocket(SocketChannel channel) throws SocketException {
        super((SocketImpl) null);
        this.channel = channel;
        this.in =
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n <= 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (len == 0) {
                            return 0;
                        }
                        return channel.read(ByteBuffer.wrap(b, off, len));
                    }

                    @Override
                    public void close() throws IOException {
                        channel.close();
                    }
                };
        this.out =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                        while (buf.hasRemaining()) {
                            channel.write(buf);
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        channel.close();
                    }
                };
    }

    /** The underlying channel. */
    public SocketChannel channel() {
        return channel;
    }

    /** Connects to the UNIX socket at {@code path}; see {@link #backlogFull(IOException)}. */
    public static ChannelSocket connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
            return new ChannelSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Whether a failed {@link #connect(Path)} means the listener's accept backlog is full. A
     * UNIX-domain connect does not wait for backlog space when the socket is in non-blocking mode,
     * which is how the JDK runs channel I/O on virtual threads: it fails at once with EAGAIN
     * ("Resource temporarily unavailable"), where a blocking connect (platform threads) would have
     * waited.
     */
    public static boolean backlogFull(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("temporarily unavailable") || m.contains("would block"));
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureOpen();
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureOpen();
        return out;
    }

    private void ensureOpen() throws SocketException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isConnected() {
        return channel.isConnected();
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
        outputShutdown = true;
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
        inputShutdown = true;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout != 0) {
            throw new SocketException(
                    "read timeouts are not supported on this UNIX socket; "
                            + "the proxy ends overdue reads with ReadDeadlines");
        }
    }

    @Override
    public int getSoTimeout() {
        return 0;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // not applicable to UNIX sockets
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // not applicable to UNIX sockets
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ChannelSocket[" + getRemoteSocketAddress() + "]";
    }
}
