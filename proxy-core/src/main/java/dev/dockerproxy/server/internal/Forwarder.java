package dev.dockerproxy.server.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * The daemon side of one client connection: sends an allowed request (re-framed, with the checked
 * or the streamed body) and returns the daemon's answer head, retrying once where that is safe;
 * keeps one upstream connection, opened lazily and replaced when it closes. Used by the connection
 * thread only, except {@link #abortUpstream()}, which any thread may call.
 */
final class Forwarder {

    /** How long a daemon may take to answer before the client is watched for a hang-up. */
    static final long HEAD_WATCH_DELAY_MS = 200;

    private static final Set<String> NOT_FORWARDED = Set.of("host", "expect");
    private static final Set<String> HIJACK_TYPES =
            Set.of(
                    "application/vnd.docker.raw-stream",
                    "application/vnd.docker.multiplexed-stream");

    /**
     * The daemon's answer to a forwarded request.
     *
     * @param connection where the answer's body (or the tunnel) comes from
     * @param head its head, final (interim {@code 1xx} answers other than {@code 101} are skipped)
     * @param tunnel whether the exchange becomes a raw stream both ways (a hijack endpoint answered
     *     {@code 101}, or {@code 200} with Docker's raw-stream type)
     */
    record Answer(UpstreamConnection connection, ClassicHttpResponse head, boolean tunnel) {}

    private final ServerContext ctx;
    private final ClientSide clientSide;
    private final HeadWatch headWatch;
    private final StreamCopy copier;
    private volatile UpstreamConnection upstream;

    Forwarder(ServerContext ctx, ClientSide clientSide, StreamCopy copier) {
        this.ctx = ctx;
        this.clientSide = clientSide;
        this.copier = copier;
        this.headWatch =
                new HeadWatch(
                        ctx,
                        HEAD_WATCH_DELAY_MS,
                        () -> clientSide.input().watch(ctx.executor(), this::abortUpstream));
    }

    /**
     * Sends the request of an allowed exchange to the daemon and returns the answer's head.
     *
     * <p>The retry rule: a request that fails on a reused connection before any answer arrived (the
     * daemon closed an idle connection) is sent once more on a new one, when its body can be sent
     * again (none, or a checked body held in memory). An answer that is not valid HTTP is never
     * retried: the daemon got the request.
     */
    Answer send(ProxyExchange x) throws ExchangeFailure {
        ClassicHttpRequest up = upstreamRequest(x);
        InputStream clientBody = null;
        for (int attempt = 1; ; attempt++) {
            UpstreamConnection conn = connect(x);
            if (attempt == 1) {
                clientBody = clientBody(x);
            }
            StreamingEntity body = requestEntity(x, clientBody, conn);
            up.setEntity(body);
            try {
                ClassicHttpResponse head = exchangeHead(conn, up);
                conn.markUsed();
                x.bodyForwarded(body == null ? x.bytesIn() : body.copied());
                return answer(x, conn, head);
            } catch (StreamCopy.SourceException e) {
                closeUpstream();
                throw clientBodyFailed(e.getCause());
            } catch (IOException | HttpException e) {
                boolean clientHungUp = conn.isAborted() && clientSide.input().hungUp();
                closeUpstream();
                if (clientHungUp) {
                    throw ExchangeFailure.clientGone();
                }
                boolean invalidAnswer =
                        e instanceof HttpException || e instanceof MessageConstraintException;
                boolean resendable = clientBody == null;
                if (attempt == 1 && conn.used() && resendable && !invalidAnswer) {
                    continue;
                }
                throw invalidAnswer
                        ? invalidAnswer(x, String.valueOf(e.getMessage()), e, false)
                        : ExchangeFailure.daemonFailed(
                                ctx.connector().unreachableMessage(e)
                                        + " (the daemon failed while handling "
                                        + x.decision().endpointId()
                                        + ")",
                                e,
                                false);
            }
        }
    }

    /**
     * The validated answer: framing the relay can handle, and a protocol switch only for a hijack
     * endpoint.
     */
    private Answer answer(ProxyExchange x, UpstreamConnection conn, ClassicHttpResponse head)
            throws ExchangeFailure {
        String badFraming = badFraming(head);
        if (badFraming != null) {
            closeUpstream();
            throw invalidAnswer(x, badFraming, new IOException(badFraming), true);
        }
        boolean hijackEndpoint = x.decision().endpoint().hijack();
        int code = head.getCode();
        if (code == 101 && !hijackEndpoint) {
            closeUpstream();
            throw ExchangeFailure.daemonFailed(
                    "the Docker daemon switched protocols for "
                            + x.decision().endpointId()
                            + ", which is not a hijack endpoint; refusing to open a tunnel",
                    new IOException("daemon answered 101 for " + x.decision().endpointId()),
                    true);
        }
        boolean tunnel = code == 101 || (code == 200 && hijackEndpoint && isHijackType(head));
        return new Answer(conn, head, tunnel);
    }

    /**
     * @param closeClient whether the client connection closes too (a head that parsed but cannot be
     *     relayed)
     */
    private ExchangeFailure invalidAnswer(
            ProxyExchange x, String what, Exception cause, boolean closeClient) {
        return ExchangeFailure.daemonFailed(
                "the Docker daemon at "
                        + ctx.connector().address()
                        + " answered "
                        + x.decision().endpointId()
                        + " with a response that is not valid HTTP ("
                        + Json.sanitize(what)
                        + "); docker-socket-proxy does not forward it",
                cause,
                closeClient);
    }

    /** The connection for the next attempt: the kept one while it is open, else a new one. */
    private UpstreamConnection connect(ProxyExchange x) throws ExchangeFailure {
        UpstreamConnection u = upstream;
        if (u != null && !u.isAborted() && u.isOpen()) {
            return u;
        }
        try {
            u = ctx.connector().connect();
        } catch (IOException e) {
            throw ExchangeFailure.daemonFailed(e.getMessage(), e, false);
        }
        upstream = u;
        return u;
    }

    /**
     * The client's body to stream to the daemon, or {@code null} when there is none or it was read
     * for the body check. Answers {@code Expect: 100-continue} first.
     */
    private InputStream clientBody(ProxyExchange x) throws ExchangeFailure {
        RequestFraming framing = x.framing();
        if (x.checkedBody() != null || !framing.hasBody()) {
            return null;
        }
        try {
            ProxyServerConnection server = clientSide.connection();
            Header expect = x.request().getFirstHeader("Expect");
            if (expect != null && "100-continue".equalsIgnoreCase(expect.getValue().trim())) {
                server.sendResponseHeader(new BasicClassicHttpResponse(100, "Continue"));
                server.flush();
            }
            server.receiveRequestEntity(x.request());
            InputStream content = x.request().getEntity().getContent();
            long limit = ctx.config().maxRequestBody();
            return framing.chunked() && limit < Long.MAX_VALUE
                    ? new LimitedInputStream(content, limit)
                    : content;
        } catch (IOException | HttpException e) {
            throw ExchangeFailure.clientGone();
        }
    }

    /**
     * The body entity for one attempt: the checked bytes (again on a retry) or the client's stream.
     */
    private StreamingEntity requestEntity(
            ProxyExchange x, InputStream clientBody, UpstreamConnection conn) {
        byte[] checked = x.checkedBody();
        if (checked != null) {
            return checked.length == 0
                    ? null
                    : new StreamingEntity(
                            copier,
                            new ByteArrayInputStream(checked),
                            checked.length,
                            false,
                            conn::abort);
        }
        if (clientBody == null) {
            return null;
        }
        RequestFraming framing = x.framing();
        return new StreamingEntity(
                copier, clientBody, framing.length(), framing.chunked(), conn::abort);
    }

    private ClassicHttpResponse exchangeHead(UpstreamConnection conn, ClassicHttpRequest up)
            throws IOException, HttpException {
        conn.sendRequestHeader(up);
        if (up.getEntity() != null) {
            conn.sendRequestEntity(up);
        }
        conn.flush();
        // A daemon may take its time to answer (wait, build, pull, a long exec start). If the
        // client
        // hangs up meanwhile, the daemon connection must be released at once, so when no head has
        // arrived after a short delay the client side is watched, as it is for streamed bodies. The
        // delay keeps quick exchanges to one task per connection.
        headWatch.begin();
        try {
            ClassicHttpResponse response = conn.receiveResponseHeader();
            while (response.getCode() < 200 && response.getCode() != 101) {
                response = conn.receiveResponseHeader();
            }
            return response;
        } finally {
            headWatch.end();
        }
    }

    /**
     * The client's body could not be read to its end: the daemon's side is already aborted (so it
     * never sees a truncated body as complete). A malformed or oversize body still gets a clear
     * answer; a client that went away gets nothing.
     */
    private static ExchangeFailure clientBodyFailed(Throwable cause) {
        if (cause instanceof LimitedInputStream.BodyTooLargeException) {
            return ExchangeFailure.badRequest(
                    413,
                    "docker-socket-proxy refused the request: "
                            + cause.getMessage()
                            + "; the request was not completed");
        }
        boolean malformed =
                (cause instanceof MalformedChunkCodingException
                                && !(cause instanceof TruncatedChunkException))
                        || cause instanceof MessageConstraintException;
        if (malformed) {
            return ExchangeFailure.badRequest(
                    400,
                    "docker-socket-proxy refused the request: malformed chunked "
                            + "body ("
                            + Json.sanitize(String.valueOf(cause.getMessage()))
                            + "); the request was not completed");
        }
        return ExchangeFailure.clientGone();
    }

    /**
     * Why a daemon answer's framing cannot be relayed, or {@code null}: a transfer coding other
     * than exactly {@code chunked} (the relay decodes chunked only), or a Content-Length that is
     * not a number.
     */
    private static String badFraming(ClassicHttpResponse response) {
        Header[] te = response.getHeaders("Transfer-Encoding");
        if (te.length > 1
                || (te.length == 1 && !"chunked".equalsIgnoreCase(te[0].getValue().trim()))) {
            return "a Transfer-Encoding other than chunked";
        }
        Header cl = response.getFirstHeader("Content-Length");
        if (te.length == 0 && cl != null && !cl.getValue().trim().matches("[0-9]{1,18}")) {
            return "an invalid Content-Length";
        }
        return null;
    }

    private ClassicHttpRequest upstreamRequest(ProxyExchange x) {
        BasicClassicHttpRequest up =
                new BasicClassicHttpRequest(
                        x.decision().request().method(),
                        null,
                        null,
                        x.decision().request().forwardTarget());
        up.setVersion(HttpVersion.HTTP_1_1);
        up.addHeader("Host", ctx.connector().address().hostHeader());
        HopByHop.copyEndToEnd(x.request(), up, NOT_FORWARDED);
        byte[] checked = x.checkedBody();
        RequestFraming framing =
                checked == null ? x.framing() : RequestFraming.ofLength(checked.length);
        if (framing.chunked()) {
            up.addHeader("Transfer-Encoding", "chunked");
        } else if (framing.hasBody()) {
            up.addHeader("Content-Length", Long.toString(framing.length()));
        } else if (x.request().containsHeader("Content-Length")) {
            up.addHeader("Content-Length", "0");
        }
        Header upgrade = x.request().getFirstHeader("Upgrade");
        if (x.decision().endpoint().hijack() && upgrade != null) {
            up.addHeader("Connection", "Upgrade");
            up.addHeader("Upgrade", upgrade.getValue());
        }
        return up;
    }

    private static boolean isHijackType(ClassicHttpResponse response) {
        Header type = response.getFirstHeader("Content-Type");
        if (type == null) {
            return false;
        }
        String t = type.getValue();
        int semi = t.indexOf(';');
        return HIJACK_TYPES.contains(
                (semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The answer was relayed; its connection serves the next request only when {@code reusable}.
     */
    void done(boolean reusable) {
        if (!reusable) {
            closeUpstream();
        }
    }

    /** Closes the upstream socket now (a client hung up, or the proxy is closing). */
    void abortUpstream() {
        UpstreamConnection u = upstream;
        if (u != null) {
            u.abort();
        }
    }

    /** Closes and forgets the upstream connection. */
    void closeUpstream() {
        UpstreamConnection u = upstream;
        upstream = null;
        if (u != null) {
            u.abort();
        }
    }
}
