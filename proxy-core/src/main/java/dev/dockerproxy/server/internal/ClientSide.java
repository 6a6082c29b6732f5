package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The client end of a connection: socket, watchable input, counted output, HttpCore server
 * connection, the proxy's own JSON answers, and a close that happens exactly once.
 */
final class ClientSide {

    private static final long LINGER_BYTES = 256 * 1024;
    private static final Duration LINGER_TIME = Duration.ofSeconds(1);

    private final Socket socket;
    private final ClientInput input;
    private final ClientOutput output;
    private final StrictRequestParser parser;
    private final ProxyServerConnection connection;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClientSide(ServerContext ctx, Socket socket) throws IOException {
        this.socket = socket;
        this.input = new ClientInput(socket, ctx.readDeadlines());
        this.output = new ClientOutput(socket.getOutputStream());
        this.parser =
                new StrictRequestParser(
                        input,
                        ctx.config().headerReadTimeout().toNanos(),
                        (int) Math.min(Integer.MAX_VALUE, ctx.config().idleTimeout().toMillis()),
                        ctx.config().maxHeaderSize());
        this.connection = new ProxyServerConnection(ctx.http1Config(), parser, input, output);
        connection.bind(socket);
    }

    Socket socket() {
        return socket;
    }

    ClientInput input() {
        return input;
    }

    ClientOutput output() {
        return output;
    }

    StrictRequestParser parser() {
        return parser;
    }

    ProxyServerConnection connection() {
        return connection;
    }

    /**
     * Answers with Docker's error shape, {@code {"message": "..."}}, in one write.
     *
     * @param request the request answered (a HEAD gets no body), or {@code null}
     * @param after what the connection does next; unless {@link Outcome.After#KEEP_ALIVE}, the
     *     answer says {@code Connection: close}
     */
    Outcome sendError(HttpRequest request, int status, String message, Outcome.After after) {
        byte[] body = Json.errorBody(message).getBytes(StandardCharsets.UTF_8);
        BasicClassicHttpResponse r =
                new BasicClassicHttpResponse(
                        status,
                        EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH));
        r.setVersion(HttpVersion.HTTP_1_1);
        r.addHeader("Content-Type", "application/json");
        r.addHeader("Content-Length", Integer.toString(body.length));
        if (after != Outcome.After.KEEP_ALIVE) {
            r.addHeader("Connection", "close");
        }
        boolean head = request != null && "HEAD".equalsIgnoreCase(request.getMethod());
        try {
            connection.sendResponseHeader(r);
            if (!head) {
                r.setEntity(new ByteArrayEntity(body, null));
                connection.sendResponseEntity(r);
            }
            connection.flush();
        } catch (IOException | HttpException e) {
            return Outcome.cut(status, 0, 0);
        }
        return Outcome.answered(status, 0, head ? 0 : body.length, after);
    }

    /**
     * Closes after an error answer without resetting the connection: shuts down output so the
     * client reads the answer and EOF, discards what the client still sends for a short while, then
     * closes.
     */
    void lingerAndClose() {
        if (closed.get()) {
            return;
        }
        try {
            socket.shutdownOutput();
            input.setDeadline(System.nanoTime() + TimeUnit.NANOSECONDS.convert(LINGER_TIME));
            byte[] sink = new byte[4096];
            long discarded = 0;
            int n;
            while (discarded < LINGER_BYTES && (n = input.read(sink, 0, sink.length)) >= 0) {
                discarded += n;
            }
        } catch (IOException ignored) {
            // the client went away or the linger time passed; close anyway
        }
        close();
    }

    /** Closes the client socket, exactly once; safe from any thread. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    boolean isClosed() {
        return closed.get();
    }
}
