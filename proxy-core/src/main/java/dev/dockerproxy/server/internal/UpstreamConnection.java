package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The daemon side of one proxied connection: HttpCore's client connection bound to a socket the
 * proxy opened, reading response heads with {@link UpstreamResponseParser}, with access to the raw
 * stream (bytes buffered with the 101 head first).
 */
public final class UpstreamConnection extends DefaultBHttpClientConnection {

    private final Socket socket;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean used;
    private SessionInputBuffer sessionInput;

    public UpstreamConnection(Http1Config http1Config, Socket socket) throws IOException {
        super(http1Config, null, null, null, null, null, UpstreamResponseParser::new);
        this.socket = socket;
        bind(socket);
    }

    public Socket socket() {
        return socket;
    }

    /** Whether a request was already sent on this connection (a reused connection may be stale). */
    public boolean used() {
        return used;
    }

    public void markUsed() {
        used = true;
    }

    @Override
    protected InputStream createContentInputStream(
            long length, SessionInputBuffer buffer, InputStream in) {
        this.sessionInput = buffer;
        return super.createContentInputStream(length, buffer, in);
    }

    /**
     * Bytes of the daemon's answer already received after its head and not yet read: HttpCore's
     * session buffer, once a body stream was taken ({@code 0} before).
     */
    int bufferedBytes() {
        SessionInputBuffer b = sessionInput;
        return b == null ? 0 : b.length();
    }

    /** The daemon's byte stream from here on (buffered bytes first), until EOF. */
    public InputStream rawInput() throws IOException {
        BasicClassicHttpResponse marker = new BasicClassicHttpResponse(200);
        try {
            receiveResponseEntity(marker);
        } catch (HttpException e) {
            throw new IOException(e);
        }
        return marker.getEntity().getContent();
    }

    /** Raw output to the daemon; only for tunnels, after the request head was flushed. */
    public OutputStream rawOutput() throws IOException {
        return socket.getOutputStream();
    }

    /** Closes the socket, once; safe from any thread (unblocks a reader). */
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing; nothing to do
            }
        }
    }

    public boolean isAborted() {
        return closed.get();
    }
}
