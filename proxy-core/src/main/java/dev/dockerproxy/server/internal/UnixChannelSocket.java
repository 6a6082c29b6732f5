package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A connection to the daemon's UNIX socket made with the JDK's own {@link SocketChannel}
 * ({@link StandardProtocolFamily#UNIX}), presented as a {@link Socket} so HttpCore can bind it.
 *
 * <p>Why not junixsocket here: on virtual threads, junixsocket 2.10 waits for a readable socket
 * with a blocking native {@code poll()} per waiting read, run on the common {@code ForkJoinPool}
 * (one worker per CPU minus one). Every idle daemon stream (events, logs -f) occupies a worker for
 * as long as it is idle, so a handful of idle streams stall every other upstream read (measured:
 * 32 idle {@code /events} streams on 2 CPUs froze new requests). The JDK's channels park a virtual
 * thread on the JDK's epoll poller instead, and block a platform thread in {@code read(2)} as before.
 *
 * <p>Reads and writes go straight to the channel (it has separate read and write locks), so a
 * tunnel may read and write at the same time. The channel is blocking and reads have no timeout;
 * the proxy sets none on daemon connections ({@link #setSoTimeout} is recorded, not applied).
 */
final class UnixChannelSocket extends Socket {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private volatile int soTimeout;
    private volatile boolean inputShut;
    private volatile boolean outputShut;

    private UnixChannelSocket(SocketChannel channel) {
        this.channel = channel;
        this.in = new In();
        this.out = new Out();
    }

    /** Connects to the UNIX socket at {@code path}. */
    static UnixChannelSocket connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new UnixChannelSocket(ch);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
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
        return true;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public void shutdownInput() throws IOException {
        channel.shutdownInput();
        inputShut = true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
        outputShut = true;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public void setSoTimeout(int timeout) {
        this.soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
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
        return "UnixChannelSocket[" + getRemoteSocketAddress() + (isClosed() ? ", closed]" : "]");
    }

    private final class In extends InputStream {
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
    }

    private final class Out extends OutputStream {
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
    }
}
