package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Forwards allowed exchanges of one client connection to the daemon: re-framed request, streamed
 * response, and the switch to a raw tunnel for hijack endpoints. Keeps one upstream connection,
 * opened lazily and replaced when it closes. Used by the connection thread only, except
 * {@link #abortUpstream()}, which any thread may call.
 */
final class Forwarder {

    private static final Set<String> NOT_FORWARDED = Set.of("host", "expect");
    /** How long a daemon may take to answer before the client is watched for a hang-up. */
    static final long HEAD_WATCH_DELAY_MS = 200;
    private static final Set<String> HIJACK_TYPES = Set.of("application/vnd.docker.raw-stream",
            "application/vnd.docker.multiplexed-stream");

    private final ServerContext ctx;
    private final Executor executor;
    private final ClientSide clientSide;
    private final ClientIdentity client;
    private final HeadWatch headWatch;
    private final StreamCopy copier = new StreamCopy();
    private volatile UpstreamConnection upstream;

    Forwarder(ServerContext ctx, Executor executor, ClientSide clientSide, ClientIdentity client) {
        this.ctx = ctx;
        this.executor = executor;
        this.clientSide = clientSide;
        this.client = client;
        this.headWatch = new HeadWatch(ctx, HEAD_WATCH_DELAY_MS,
                () -> clientSide.input().watch(executor, this::abortUpstream));
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

    /**
     * Forwards an allowed exchange.
     *
     * @param checkedBody the body, already read and checked by the policy (forwarded as exactly these
     *                    bytes with a Content-Length), or {@code null} to stream the client's body
     */
    Outcome forward(ProxyRequest request, Decision decision, RequestFraming framing, boolean keepAlive,
                    byte[] checkedBody) throws IOException, HttpException {
        ProxyServerConnection server = clientSide.connection();
        boolean hijackEndpoint = decision.endpoint().hijack();
        RequestFraming upFraming = checkedBody == null ? framing : RequestFraming.ofLength(checkedBody.length);
        ClassicHttpRequest up = upstreamRequest(request, decision, upFraming, hijackEndpoint);
        UpstreamConnection conn;
        try {
            conn = obtainUpstream();
        } catch (IOException e) {
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
            return clientSide.sendError(request, 502, e.getMessage(),
                    (framing.hasBody() && checkedBody == null) || !keepAlive);
        }
        StreamingEntity requestBody = null;
        if (checkedBody != null) {
            if (checkedBody.length > 0) {
                requestBody = new StreamingEntity(copier, new java.io.ByteArrayInputStream(checkedBody),
                        checkedBody.length,
                        false, conn::abort);
                up.setEntity(requestBody);
            }
        } else if (framing.hasBody()) {
            Header expect = request.getFirstHeader("Expect");
            if (expect != null && "100-continue".equalsIgnoreCase(expect.getValue().trim())) {
                server.sendResponseHeader(new BasicClassicHttpResponse(100, "Continue"));
                server.flush();
            }
            server.receiveRequestEntity(request);
            java.io.InputStream content = request.getEntity().getContent();
            long limit = ctx.config().maxRequestBody();
            if (framing.chunked() && limit < Long.MAX_VALUE) {
                content = new LimitedInputStream(content, limit);
            }
            requestBody = new StreamingEntity(copier, content, framing.length(), framing.chunked(), conn::abort);
            up.setEntity(requestBody);
        }
        ClassicHttpResponse response;
        try {
            response = exchangeHead(conn, up);
        } catch (StreamCopy.SourceException e) {
            closeUpstream();
            return bodyFailed(request, e.getCause());
        } catch (IOException | HttpException e) {
            if (conn.isAborted() && clientSide.input().hungUp()) {
                closeUpstream();
                return new Outcome(499, 0, 0, false, false);
            }
            // A reused connection the daemon closed before answering is retried once on a new one (when the
            // body can be sent again). An answer that is not valid HTTP, or breaks a head limit, is not: the
            // daemon got the request.
            boolean invalidAnswer = e instanceof HttpException || e instanceof MessageConstraintException;
            boolean retry = !invalidAnswer && conn.used() && (requestBody == null || checkedBody != null);
            closeUpstream();
            response = null;
            if (retry) {
                try {
                    conn = obtainUpstream();
                    if (checkedBody != null && checkedBody.length > 0) {
                        requestBody = new StreamingEntity(copier, new java.io.ByteArrayInputStream(checkedBody),
                                checkedBody.length, false, conn::abort);
                        up.setEntity(requestBody);
                    }
                    response = exchangeHead(conn, up);
                } catch (IOException | HttpException again) {
                    closeUpstream();
                }
            }
            if (response == null) {
                ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
                String msg = invalidAnswer
                        ? "the Docker daemon at " + ctx.connector().address() + " answered " + decision.endpointId()
                                + " with a response that is not valid HTTP (" + Json.sanitize(String.valueOf(e.getMessage()))
                                + "); docker-socket-proxy does not forward it"
                        : ctx.connector().unreachableMessage(e) + " (the daemon failed while handling "
                                + decision.endpointId() + ")";
                return clientSide.sendError(request, 502, msg,
                        (framing.hasBody() && checkedBody == null) || !keepAlive);
            }
        }
        conn.markUsed();
        String badFraming = badFraming(response);
        if (badFraming != null) {
            closeUpstream();
            IOException e = new IOException(badFraming);
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
            return clientSide.sendError(request, 502, "the Docker daemon at " + ctx.connector().address()
                    + " answered " + decision.endpointId() + " with a response that is not valid HTTP (" + badFraming
                    + "); docker-socket-proxy does not forward it", true);
        }
        long bytesIn = requestBody == null ? 0 : requestBody.copied();
        int code = response.getCode();
        if (code == 101 || (code == 200 && hijackEndpoint && isHijackType(response))) {
            if (!hijackEndpoint) {
                closeUpstream();
                IOException e = new IOException("daemon answered 101 for " + decision.endpointId());
                ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
                return clientSide.sendError(request, 502, "the Docker daemon switched protocols for "
                        + decision.endpointId() + ", which is not a hijack endpoint; refusing to open a tunnel",
                        true);
            }
            return tunnel(response, conn, bytesIn);
        }
        return relayResponse(request, response, conn, keepAlive, bytesIn);
    }

    /**
     * Why a daemon response's framing cannot be relayed, or {@code null}: a transfer coding other than
     * exactly {@code chunked} (the relay decodes chunked only), or a Content-Length that is not a number.
     */
    private static String badFraming(ClassicHttpResponse response) {
        Header[] te = response.getHeaders("Transfer-Encoding");
        if (te.length > 1 || (te.length == 1 && !"chunked".equalsIgnoreCase(te[0].getValue().trim()))) {
            return "a Transfer-Encoding other than chunked";
        }
        Header cl = response.getFirstHeader("Content-Length");
        if (te.length == 0 && cl != null && !cl.getValue().trim().matches("[0-9]{1,18}")) {
            return "an invalid Content-Length";
        }
        return null;
    }

    /**
     * The client's body could not be read to its end: the daemon's side is already aborted (so it
     * never sees a truncated body as complete). A malformed or oversize body still gets a clear
     * answer; a client that went away gets nothing (499 in the access log).
     */
    private Outcome bodyFailed(ProxyRequest request, Throwable cause) {
        if (cause instanceof LimitedInputStream.BodyTooLargeException) {
            Outcome o = clientSide.sendError(request, 413, "docker-socket-proxy refused the request: "
                    + cause.getMessage() + "; the request was not completed", true);
            return new Outcome(413, 0, o.bytesOut(), false, false);
        }
        boolean malformed = (cause instanceof org.apache.hc.core5.http.MalformedChunkCodingException
                && !(cause instanceof org.apache.hc.core5.http.TruncatedChunkException))
                || cause instanceof org.apache.hc.core5.http.MessageConstraintException;
        if (malformed) {
            Outcome o = clientSide.sendError(request, 400, "docker-socket-proxy refused the request: malformed "
                    + "chunked body (" + Json.sanitize(String.valueOf(cause.getMessage()))
                    + "); the request was not completed", true);
            return new Outcome(400, 0, o.bytesOut(), false, false);
        }
        return new Outcome(499, 0, 0, false, false);
    }

    private ClassicHttpResponse exchangeHead(UpstreamConnection conn, ClassicHttpRequest up)
            throws IOException, HttpException {
        conn.sendRequestHeader(up);
        if (up.getEntity() != null) {
            conn.sendRequestEntity(up);
        }
        conn.flush();
        // A daemon may take its time to answer (wait, build, pull, a long exec start). If the client
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

    private Outcome relayResponse(ProxyRequest request, ClassicHttpResponse response, UpstreamConnection conn,
                                  boolean clientKeepAlive, long bytesIn) throws IOException, HttpException {
        ProxyServerConnection server = clientSide.connection();
        int code = response.getCode();
        boolean head = "HEAD".equalsIgnoreCase(request.getMethod());
        boolean hasBody = !head && code >= 200 && code != 204 && code != 304;
        Header upCl = response.getFirstHeader("Content-Length");
        boolean upChunked = response.containsHeader("Transfer-Encoding");
        long upLen = -1;
        if (!upChunked && upCl != null) {
            try {
                upLen = Long.parseLong(upCl.getValue().trim());
            } catch (NumberFormatException e) {
                throw new HttpException("daemon sent an invalid Content-Length");
            }
        }
        boolean closeDelimited = hasBody && !upChunked && upCl == null;
        boolean http10 = HttpVersion.HTTP_1_0.equals(request.getVersion());
        boolean keep = clientKeepAlive && !ctx.draining();

        BasicClassicHttpResponse out = new BasicClassicHttpResponse(code, response.getReasonPhrase());
        out.setVersion(HttpVersion.HTTP_1_1);
        HopByHop.copyEndToEnd(response, out, Set.of());
        boolean outChunked = false;
        if (!hasBody) {
            if (head && upCl != null) {
                out.addHeader("Content-Length", upCl.getValue().trim());
            }
        } else if (upLen >= 0) {
            out.addHeader("Content-Length", Long.toString(upLen));
        } else if (!http10) {
            out.addHeader("Transfer-Encoding", "chunked");
            outChunked = true;
        } else {
            keep = false;
        }
        if (!keep) {
            out.addHeader("Connection", "close");
        } else if (http10) {
            out.addHeader("Connection", "keep-alive");
        }
        boolean upstreamReusable = !closeDelimited && !HopByHop.wantsClose(response);
        if (hasBody && upLen >= 0 && upLen <= StreamCopy.BUFFER_SIZE) {
            Outcome small = relaySmall(request, response, out, conn, (int) upLen, keep, bytesIn);
            if (small != null) {
                if (!upstreamReusable) {
                    closeUpstream();
                }
                return small;
            }
        }
        server.sendResponseHeader(out);
        long bytesOut = 0;
        if (hasBody) {
            StreamingEntity entity;
            if (upChunked) {
                entity = StreamingEntity.dechunking(conn.rawInput(), outChunked, clientSide::close);
            } else {
                conn.receiveResponseEntity(response);
                entity = new StreamingEntity(copier, response.getEntity().getContent(), upLen, outChunked,
                        clientSide::close);
            }
            if (upLen < 0) {
                server.flush();
                clientSide.input().watch(executor, this::abortUpstream);
            }
            out.setEntity(entity);
            try {
                server.sendResponseEntity(out);
                server.flush();
            } catch (IOException e) {
                boolean daemonFailed = e instanceof StreamCopy.SourceException && !conn.isAborted();
                closeUpstream();
                if (daemonFailed) {
                    ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
                }
                return new Outcome(code, bytesIn, entity.copied(), false, false);
            }
            bytesOut = entity.copied();
        } else {
            server.flush();
        }
        if (!upstreamReusable) {
            closeUpstream();
        }
        return new Outcome(code, bytesIn, bytesOut, keep, false);
    }

    /**
     * Relays a response whose body fits the copy buffer together with its head in one write
     * ({@link SmallResponse}); {@code null} when the head is too large for that, and nothing was done.
     */
    private Outcome relaySmall(ProxyRequest request, ClassicHttpResponse response, BasicClassicHttpResponse out,
                               UpstreamConnection conn, int length, boolean keep, long bytesIn)
            throws IOException, HttpException {
        byte[] buf = copier.buffer();
        int headLength = SmallResponse.formatHead(out, buf, buf.length - length);
        if (headLength < 0) {
            return null;
        }
        int code = response.getCode();
        conn.receiveResponseEntity(response);
        int got;
        try {
            got = SmallResponse.readFully(response.getEntity().getContent(), buf, headLength, length);
        } catch (StreamCopy.SourceException e) {
            closeUpstream();
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
            return clientSide.sendError(request, 502, "the Docker daemon failed while sending its answer ("
                    + Json.sanitize(String.valueOf(e.getMessage())) + ")", true);
        }
        if (got < length) {
            closeUpstream();
            IOException e = new IOException("the daemon's response ended after " + got + " of " + length
                    + " bytes");
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
            return clientSide.sendError(request, 502, "the Docker daemon's answer ended early (" + got + " of "
                    + length + " bytes)", true);
        }
        try {
            clientSide.output().write(buf, 0, headLength + length);
            clientSide.output().flush();
        } catch (IOException e) {
            return new Outcome(code, bytesIn, 0, false, false);
        }
        return new Outcome(code, bytesIn, length, keep, false);
    }

    private Outcome tunnel(ClassicHttpResponse response, UpstreamConnection conn, long bytesIn)
            throws IOException, HttpException {
        ProxyServerConnection server = clientSide.connection();
        int code = response.getCode();
        BasicClassicHttpResponse out = new BasicClassicHttpResponse(code, response.getReasonPhrase());
        out.setVersion(HttpVersion.HTTP_1_1);
        HopByHop.copyEndToEnd(response, out, Set.of());
        if (code == 101) {
            out.addHeader("Connection", "Upgrade");
            Header upgrade = response.getFirstHeader("Upgrade");
            if (upgrade != null) {
                out.addHeader("Upgrade", upgrade.getValue());
            }
        }
        server.sendResponseHeader(out);
        server.flush();
        InputStream fromClient = server.rawInput();
        InputStream fromDaemon = conn.rawInput();
        Socket clientSocket = clientSide.socket();
        Tunnel tunnel = new Tunnel(clientSocket, conn.socket(), () -> {
            clientSide.close();
            conn.abort();
        });
        try {
            tunnel.run(executor, fromClient, clientSide.output(), fromDaemon, conn.rawOutput());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeUpstream();
        }
        return new Outcome(code, bytesIn + tunnel.clientToDaemon(), tunnel.daemonToClient(), false, true);
    }

    private UpstreamConnection obtainUpstream() throws IOException {
        UpstreamConnection u = upstream;
        if (u == null || u.isAborted() || !u.isOpen()) {
            u = ctx.connector().connect();
            upstream = u;
        }
        return u;
    }

    private ClassicHttpRequest upstreamRequest(ProxyRequest request, Decision decision, RequestFraming framing,
                                               boolean hijackEndpoint) {
        BasicClassicHttpRequest up = new BasicClassicHttpRequest(decision.request().method(), null, null,
                decision.request().forwardTarget());
        up.setVersion(HttpVersion.HTTP_1_1);
        up.addHeader("Host", ctx.connector().address().hostHeader());
        HopByHop.copyEndToEnd(request, up, NOT_FORWARDED);
        if (framing.chunked()) {
            up.addHeader("Transfer-Encoding", "chunked");
        } else if (framing.hasBody()) {
            up.addHeader("Content-Length", Long.toString(framing.length()));
        } else if (request.containsHeader("Content-Length")) {
            up.addHeader("Content-Length", "0");
        }
        Header upgrade = request.getFirstHeader("Upgrade");
        if (hijackEndpoint && upgrade != null) {
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
        return HIJACK_TYPES.contains((semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT));
    }
}
