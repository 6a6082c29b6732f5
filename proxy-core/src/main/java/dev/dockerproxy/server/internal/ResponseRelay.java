package dev.dockerproxy.server.internal;

import dev.dockerproxy.server.ResponseStage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.message.MessageSupport;

/**
 * The last step of an exchange: the daemon's answer to the client, as it arrives ({@link #stream}),
 * whole after the response stages ({@link #rewritten}), or as a raw stream both ways ({@link
 * #tunnel}). Used by the connection thread only.
 */
final class ResponseRelay {

    private final ServerContext ctx;
    private final ClientSide clientSide;
    private final Forwarder forwarder;
    private final StreamCopy copier;

    ResponseRelay(
            ServerContext ctx, ClientSide clientSide, Forwarder forwarder, StreamCopy copier) {
        this.ctx = ctx;
        this.clientSide = clientSide;
        this.forwarder = forwarder;
        this.copier = copier;
    }

    /**
     * How the daemon delimits its answer's body.
     *
     * @param reusable whether the daemon connection can serve the next request after this answer
     *     (the body does not end with the connection, and the daemon did not say {@code Connection:
     *     close})
     */
    private record Framing(boolean hasBody, boolean chunked, long length, boolean reusable) {

        static Framing of(ProxyExchange x, ClassicHttpResponse head) {
            boolean hasBody = MessageSupport.canResponseHaveBody(x.method(), head);
            boolean chunked = head.containsHeader("Transfer-Encoding");
            Header cl = head.getFirstHeader("Content-Length");
            long length =
                    chunked || cl == null
                            ? -1
                            : Long.parseLong(cl.getValue().trim()); // checked by Forwarder
            boolean closeDelimited = hasBody && !chunked && length < 0;
            return new Framing(
                    hasBody,
                    chunked,
                    length,
                    !closeDelimited && !HopByHop.hasConnectionToken(head, "close"));
        }
    }

    /** The stages that inspect this answer; none when it cannot have a body. */
    List<ResponseStage> stagesFor(ProxyExchange x, Forwarder.Answer answer) {
        List<ResponseStage> all = ctx.config().responseStages();
        if (all.isEmpty() || !MessageSupport.canResponseHaveBody(x.method(), answer.head())) {
            return List.of();
        }
        ResponseStage.Answer seen = stageAnswer(answer.head());
        return all.stream().filter(s -> s.inspects(x.decision(), seen)).toList();
    }

    /**
     * Relays the answer as it arrives: a length-delimited body in as few writes as the copy buffer
     * allows, a chunked one chunk for chunk ({@link ChunkedRelay}), one without a length with a
     * flush per read.
     */
    Outcome stream(ProxyExchange x, Forwarder.Answer answer) {
        ClassicHttpResponse in = answer.head();
        Framing framing = Framing.of(x, in);
        boolean clientChunked = framing.hasBody() && framing.length() < 0 && !x.http10();
        Outcome.After after =
                x.after(
                        ctx.draining(),
                        !framing.hasBody() || framing.length() >= 0 || clientChunked);
        BasicClassicHttpResponse out = clientHead(x, in, after);
        if (!framing.hasBody()) {
            Header cl = in.getFirstHeader("Content-Length");
            if (x.isHead() && cl != null) {
                out.addHeader("Content-Length", cl.getValue().trim());
            }
        } else if (framing.length() >= 0) {
            out.addHeader("Content-Length", Long.toString(framing.length()));
        } else if (clientChunked) {
            out.addHeader("Transfer-Encoding", "chunked");
        }
        ProxyServerConnection server = clientSide.connection();
        StreamingEntity entity = null;
        try {
            server.sendResponseHeader(out);
            if (framing.hasBody()) {
                entity = body(answer, framing, clientChunked);
                if (framing.length() < 0) {
                    startStream(answer);
                }
                out.setEntity(entity);
                server.sendResponseEntity(out);
            }
            server.flush();
        } catch (IOException | HttpException e) {
            if (e instanceof StreamCopy.SourceException && !answer.connection().isAborted()) {
                ctx.notify(l -> l.upstreamError(x.client(), ctx.connector().address(), e));
            }
            forwarder.closeUpstream();
            return Outcome.cut(in.getCode(), x.bytesIn(), entity == null ? 0 : entity.copied());
        }
        forwarder.done(framing.reusable());
        return Outcome.answered(
                in.getCode(), x.bytesIn(), entity == null ? 0 : entity.copied(), after);
    }

    /**
     * A body without a length may be a stream ({@code /events}, {@code logs -f}): its head goes out
     * at once unless the daemon sent body bytes with it (then the head leaves with them), and the
     * client is watched so a hang-up releases the daemon connection at once.
     */
    private void startStream(Forwarder.Answer answer) throws IOException {
        if (answer.connection().bufferedBytes() == 0) {
            clientSide.connection().flush();
        }
        clientSide.input().watch(ctx.executor(), forwarder::abortUpstream);
    }

    private StreamingEntity body(Forwarder.Answer answer, Framing framing, boolean clientChunked)
            throws IOException, HttpException {
        UpstreamConnection conn = answer.connection();
        if (framing.chunked()) {
            return StreamingEntity.dechunking(conn.rawInput(), clientChunked, clientSide::close);
        }
        conn.receiveResponseEntity(answer.head());
        return new StreamingEntity(
                copier,
                answer.head().getEntity().getContent(),
                framing.length(),
                clientChunked,
                clientSide::close);
    }

    /**
     * Reads the daemon's whole answer, passes it through {@code stages} in order and sends the
     * result with a {@code Content-Length}.
     */
    Outcome rewritten(ProxyExchange x, Forwarder.Answer answer, List<ResponseStage> stages)
            throws ExchangeFailure {
        ClassicHttpResponse in = answer.head();
        Framing framing = Framing.of(x, in);
        byte[] body = readWhole(x, answer, framing);
        forwarder.done(framing.reusable());
        ResponseStage.Answer seen = stageAnswer(in);
        for (ResponseStage stage : stages) {
            try {
                body =
                        Objects.requireNonNull(
                                stage.apply(x.decision(), seen, body),
                                "the stage returned no body");
            } catch (RuntimeException e) {
                throw ExchangeFailure.answerRefused(
                        "docker-socket-proxy refused the Docker daemon's answer to "
                                + x.decision().endpointId()
                                + ": "
                                + Json.sanitize(String.valueOf(e.getMessage())));
            }
        }
        Outcome.After after = x.after(ctx.draining(), true);
        BasicClassicHttpResponse out = clientHead(x, in, after);
        out.addHeader("Content-Length", Integer.toString(body.length));
        ProxyServerConnection server = clientSide.connection();
        try {
            server.sendResponseHeader(out);
            out.setEntity(new ByteArrayEntity(body, null));
            server.sendResponseEntity(out);
            server.flush();
        } catch (IOException | HttpException e) {
            return Outcome.cut(in.getCode(), x.bytesIn(), 0);
        }
        return Outcome.answered(in.getCode(), x.bytesIn(), body.length, after);
    }

    private byte[] readWhole(ProxyExchange x, Forwarder.Answer answer, Framing framing)
            throws ExchangeFailure {
        if (framing.length() > ResponseStage.MAX_BODY) {
            forwarder.closeUpstream();
            throw tooLarge(x);
        }
        BoundedBuffer buffer =
                new BoundedBuffer(framing.length() < 0 ? 8192 : (int) framing.length());
        try {
            UpstreamConnection conn = answer.connection();
            if (framing.chunked()) {
                new ChunkedRelay(conn.rawInput()).copy(buffer, new long[1]);
            } else {
                conn.receiveResponseEntity(answer.head());
                answer.head().getEntity().getContent().transferTo(buffer);
            }
        } catch (BoundedBuffer.Full e) {
            forwarder.closeUpstream();
            throw tooLarge(x);
        } catch (IOException | HttpException e) {
            forwarder.closeUpstream();
            throw ExchangeFailure.daemonFailed(
                    "the Docker daemon failed while sending its answer to "
                            + x.decision().endpointId()
                            + " ("
                            + Json.sanitize(String.valueOf(e.getMessage()))
                            + ")",
                    e,
                    true);
        }
        if (framing.length() >= 0 && buffer.size() != framing.length()) {
            forwarder.closeUpstream();
            IOException e =
                    new IOException(
                            "the daemon's answer ended after "
                                    + buffer.size()
                                    + " of "
                                    + framing.length()
                                    + " bytes");
            throw ExchangeFailure.daemonFailed(
                    "the Docker daemon's answer to "
                            + x.decision().endpointId()
                            + " ended early ("
                            + buffer.size()
                            + " of "
                            + framing.length()
                            + " bytes)",
                    e,
                    true);
        }
        return buffer.toByteArray();
    }

    private static ExchangeFailure tooLarge(ProxyExchange x) {
        return ExchangeFailure.answerRefused(
                "the Docker daemon's answer to "
                        + x.decision().endpointId()
                        + " is larger than "
                        + ResponseStage.MAX_BODY
                        + " bytes, the most docker-socket-proxy checks; "
                        + "it is not forwarded");
    }

    /** A byte sink that refuses to grow past {@link ResponseStage#MAX_BODY}. */
    private static final class BoundedBuffer extends OutputStream {

        /** The answer outgrew the limit. */
        static final class Full extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private final ByteArrayOutputStream bytes;

        BoundedBuffer(int initial) {
            bytes = new ByteArrayOutputStream(initial);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if ((long) bytes.size() + len > ResponseStage.MAX_BODY) {
                throw new Full();
            }
            bytes.write(b, off, len);
        }

        int size() {
            return bytes.size();
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /**
     * Turns the exchange into a raw stream both ways (attach, exec start); ends when both
     * directions end.
     */
    Outcome tunnel(ProxyExchange x, Forwarder.Answer answer) {
        ClassicHttpResponse in = answer.head();
        UpstreamConnection conn = answer.connection();
        int code = in.getCode();
        BasicClassicHttpResponse out = new BasicClassicHttpResponse(code, in.getReasonPhrase());
        out.setVersion(HttpVersion.HTTP_1_1);
        HopByHop.copyEndToEnd(in, out, Set.of());
        if (code == 101) {
            out.addHeader("Connection", "Upgrade");
            Header upgrade = in.getFirstHeader("Upgrade");
            if (upgrade != null) {
                out.addHeader("Upgrade", upgrade.getValue());
            }
        }
        ProxyServerConnection server = clientSide.connection();
        Tunnel tunnel =
                new Tunnel(
                        clientSide.socket(),
                        conn.socket(),
                        () -> {
                            clientSide.close();
                            conn.abort();
                        });
        try {
            server.sendResponseHeader(out);
            server.flush();
            InputStream fromClient = server.rawInput();
            tunnel.run(
                    ctx.executor(),
                    fromClient,
                    clientSide.output(),
                    conn.rawInput(),
                    conn.rawOutput());
        } catch (IOException | HttpException e) {
            return Outcome.cut(code, x.bytesIn(), tunnel.daemonToClient());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            forwarder.closeUpstream();
        }
        return Outcome.tunnelEnded(
                code, x.bytesIn() + tunnel.clientToDaemon(), tunnel.daemonToClient());
    }

    /**
     * The client's head for the daemon's answer: its status and end-to-end headers, HTTP/1.1, the
     * connection's fate.
     */
    private static BasicClassicHttpResponse clientHead(
            ProxyExchange x, ClassicHttpResponse in, Outcome.After after) {
        BasicClassicHttpResponse out =
                new BasicClassicHttpResponse(in.getCode(), in.getReasonPhrase());
        out.setVersion(HttpVersion.HTTP_1_1);
        HopByHop.copyEndToEnd(in, out, Set.of());
        if (after != Outcome.After.KEEP_ALIVE) {
            out.addHeader("Connection", "close");
        } else if (x.http10()) {
            out.addHeader("Connection", "keep-alive");
        }
        return out;
    }

    private static ResponseStage.Answer stageAnswer(ClassicHttpResponse head) {
        Header type = head.getFirstHeader("Content-Type");
        return new ResponseStage.Answer(head.getCode(), type == null ? "" : type.getValue());
    }
}
