package dev.dockerproxy.server;

import dev.dockerproxy.server.internal.ChannelSocket;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A raw socket client that writes canned bytes and reads responses. */
final class RawClient implements AutoCloseable {

    /** A parsed response. */
    record Response(int status, String head, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final WireReader reader;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.out = socket.getOutputStream();
        this.reader = new WireReader(socket.getInputStream());
    }

    static RawClient connect(ListenAddress address) throws IOException {
        if (address.kind() == ListenAddress.Kind.UNIX) {
            return new RawClient(ChannelSocket.connect(address.path()));
        }
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address.host(), address.port()), 5000);
        return new RawClient(s);
    }

    RawClient send(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} true when it answers a HEAD request (no body). */
    Response readResponse(boolean head) throws IOException {
        String h = reader.readHead();
        if (h == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(h.substring(9, 12));
        Map<String, String> headers = WireReader.headers(h);
        byte[] body = head || status == 101 || status == 204 || status == 304 || status < 200
                ? new byte[0] : reader.readBody(h, true);
        return new Response(status, h, headers, body);
    }

    Response readResponse() throws IOException {
        return readResponse(false);
    }

    WireReader reader() {
        return reader;
    }

    /** Whether the proxy closed the connection (EOF or reset) within {@code timeout}. */
    boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
