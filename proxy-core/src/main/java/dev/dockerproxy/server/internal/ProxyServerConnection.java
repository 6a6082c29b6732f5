package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseWriterFactory;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The client side of one proxied connection: HttpCore's server connection with the strict head
 * parser, a watchable client input, and access to the raw byte stream (buffered bytes first) for a
 * hijack tunnel.
 */
public final class ProxyServerConnection extends DefaultBHttpServerConnection {

    /** A length the strategy reports for {@link TunnelMarker}: HttpCore then reads until EOF. */
    private static final long UNTIL_EOF = -2;

    private final ClientInput input;
    private final OutputStream output;

    public ProxyServerConnection(
            Http1Config http1Config,
            StrictRequestParser parser,
            ClientInput input,
            OutputStream output) {
        super(
                "http",
                http1Config,
                null,
                null,
                new LengthStrategy(),
                DefaultContentLengthStrategy.INSTANCE,
                config -> parser,
                DefaultHttpResponseWriterFactory.INSTANCE);
        this.input = input;
        this.output = output;
    }

    @Override
    public void bind(Socket socket) throws IOException {
        bind(
                new SocketHolder(socket) {
                    @Override
                    protected InputStream getInputStream(Socket s) {
                        return input;
                    }

                    @Override
                    protected OutputStream getOutputStream(Socket s) {
                        return output;
                    }
                });
    }

    /**
     * The client's byte stream from here on: bytes HttpCore already buffered, then the socket,
     * until EOF. Used only once the connection became a tunnel.
     */
    public InputStream rawInput() throws IOException {
        TunnelMarker marker = new TunnelMarker();
        try {
            receiveRequestEntity(marker);
        } catch (HttpException e) {
            throw new IOException(e);
        }
        HttpEntity entity = marker.getEntity();
        return entity.getContent();
    }

    /** A pseudo request standing for "the rest of the stream". */
    private static final class TunnelMarker extends BasicClassicHttpRequest {
        private static final long serialVersionUID = 1L;

        TunnelMarker() {
            super("TUNNEL", "/");
            setVersion(HttpVersion.HTTP_1_1);
        }
    }

    /**
     * Request framing for validated heads ({@link RequestFraming} ran first), plus the tunnel
     * marker.
     */
    private static final class LengthStrategy implements ContentLengthStrategy {
        @Override
        public long determineLength(org.apache.hc.core5.http.HttpMessage message)
                throws HttpException {
            if (message instanceof TunnelMarker) {
                return UNTIL_EOF;
            }
            return DefaultContentLengthStrategy.INSTANCE.determineLength(message);
        }
    }
}
