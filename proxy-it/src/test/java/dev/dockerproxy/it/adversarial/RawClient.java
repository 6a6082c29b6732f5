package dev.dockerproxy.it.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes raw bytes to a TCP or UNIX socket and reads whatever comes back, with a hard deadline, using
 * non-blocking channels (so no read can hang a test). JDK only.
 */
final class RawClient {

    /** What came back: bytes, whether the peer closed, and whether the deadline cut the read. */
    record Result(byte[] bytes, boolean eof, boolean timedOut, String error, long nanos) {

        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** Status code of the first response, or -1. */
        int firstStatus() {
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

    private RawClient() {
    }

    static SocketAddress tcp(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    static SocketAddress unix(Path path) {
        return UnixDomainSocketAddress.of(path);
    }

    /**
     * Sends {@code request}, optionally half-closes, and reads until EOF, until {@code stopAfterHead} and a
     * complete response head was read, until {@code maxBytes}, or until {@code timeoutMillis} passed.
     */
    static Result exchange(SocketAddress address, byte[] request, boolean halfClose, long timeoutMillis,
                           int maxBytes, boolean stopAfterHead) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean eof = false;
        boolean timedOut = false;
        String error = null;
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try (ch; Selector sel = Selector.open()) {
            ch.connect(address);
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteBuffer in = ByteBuffer.allocate(16384);
            SelectionKey key = ch.register(sel, SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
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
                    in.clear();
                    int n;
                    try {
                        n = ch.read(in);
                    } catch (IOException e) {
                        error = "read: " + e.getMessage();
                        eof = true;
                        break;
                    }
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    got.write(in.array(), 0, n);
                    if (got.size() >= maxBytes) {
                        break;
                    }
                    if (stopAfterHead && headComplete(got)) {
                        break;
                    }
                }
            }
        }
        return new Result(got.toByteArray(), eof, timedOut, error, System.nanoTime() - t0);
    }

    private static boolean headComplete(ByteArrayOutputStream got) {
        String s = got.toString(StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        // for an error response with a length, wait for the body too (the message tells the route)
        String head = s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("\ncontent-length:");
        if (cl >= 0 && !head.startsWith("http/1.1 2")) {
            int eol = head.indexOf('\r', cl + 1);
            long len = Long.parseLong(head.substring(cl + 16, eol < 0 ? head.length() : eol).trim());
            return s.length() - end - 4 >= Math.min(len, 4096);
        }
        return true;
    }
}
