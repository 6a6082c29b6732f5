package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.RuleRef;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ResponseStage;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.hc.core5.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, start to end: read a head, run the exchange, repeat while the connection
 * stays alive. Every request on the connection is judged, pipelined ones included, because each
 * head is parsed by the proxy itself.
 *
 * <p>An exchange is one linear pipeline around a {@link ProxyExchange} ({@link #process}): framing,
 * the policy's decision on the head, the body check, forwarding ({@link Forwarder}, where the retry
 * rule lives), the response stages, then relay or tunnel ({@link ResponseRelay}). A step that
 * refuses ends the exchange with an answer; a failure after the request was allowed is an {@link
 * ExchangeFailure}, answered in one place ({@link #failed}). What happens to the connection
 * afterwards is decided in one place, {@link ProxyExchange#after}, and carried by the {@link
 * Outcome}.
 */
public final class ConnectionHandler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final RuleRef PROXY_RULE =
            new RuleRef(
                    "proxy-framing",
                    -1,
                    new RuleSource(RuleSource.Kind.BUILTIN, "request framing"));

    private final ServerContext ctx;
    private final Socket socket;
    private final ClientIdentity client;
    private final ListenAddress listenAddress;
    private final Runnable onDone;
    private volatile ClientSide clientSide;
    private volatile Forwarder forwarder;
    private ResponseRelay relay;
    private volatile boolean idle = true;
    private volatile boolean aborted;

    public ConnectionHandler(
            ServerContext ctx,
            Socket socket,
            ClientIdentity client,
            ListenAddress listenAddress,
            Runnable onDone) {
        this.ctx = ctx;
        this.socket = socket;
        this.client = client;
        this.listenAddress = listenAddress;
        this.onDone = onDone;
    }

    @Override
    public void run() {
        ctx.notify(l -> l.connectionOpened(client, listenAddress));
        boolean linger = false;
        try {
            clientSide = new ClientSide(ctx, socket);
            StreamCopy copier = new StreamCopy();
            forwarder = new Forwarder(ctx, clientSide, copier);
            relay = new ResponseRelay(ctx, clientSide, forwarder, copier);
            if (aborted) {
                return;
            }
            linger = serve();
        } catch (IOException | RuntimeException e) {
            if (!aborted) {
                LOG.debug("connection from {} ended: {}", client, e.toString());
            }
        } finally {
            if (forwarder != null) {
                forwarder.closeUpstream();
            }
            if (clientSide != null) {
                if (linger && !aborted) {
                    clientSide.lingerAndClose();
                } else {
                    clientSide.close();
                }
            } else {
                closeSocketQuietly();
            }
            ClientSide cs = clientSide;
            long in = cs == null ? 0 : cs.input().bytesRead();
            long out = cs == null ? 0 : cs.output().count();
            ctx.notify(l -> l.connectionClosed(client, in, out));
            onDone.run();
        }
    }

    /** Serves requests until the connection ends; returns whether to close with a linger. */
    private boolean serve() throws IOException {
        while (!ctx.draining() && !aborted) {
            idle = true;
            ProxyRequest request;
            try {
                request = (ProxyRequest) clientSide.connection().receiveRequestHeader();
            } catch (SocketTimeoutException | HttpException e) {
                idle = false;
                return refuseHead(e) == Outcome.After.LINGER_AND_CLOSE;
            }
            idle = false;
            if (request == null) {
                return false;
            }
            Outcome.After after = exchange(request).after();
            if (after != Outcome.After.KEEP_ALIVE) {
                return after == Outcome.After.LINGER_AND_CLOSE;
            }
        }
        return false;
    }

    /**
     * Answers a request head that could not be read: a bad head (400 or its own status), or one not
     * complete within the header read timeout (408; a connection that sent nothing of a next head
     * just closes). Returns what the connection does next.
     */
    private Outcome.After refuseHead(Exception e) {
        if (e instanceof BadRequestException bad) {
            return refuseHead(
                    bad.status(),
                    bad.getMessage(),
                    "docker-socket-proxy refused the request: " + bad.getMessage(),
                    Outcome.After.LINGER_AND_CLOSE);
        }
        if (e instanceof SocketTimeoutException) {
            if (!clientSide.parser().headStarted()) {
                return Outcome.After.CLOSE;
            }
            Duration limit = ctx.config().headerReadTimeout();
            return refuseHead(
                    408,
                    "request head not complete within " + limit,
                    "docker-socket-proxy: request head not complete within "
                            + limit.toMillis()
                            + " ms",
                    Outcome.After.CLOSE);
        }
        return refuseHead(
                400,
                e.getMessage(),
                "docker-socket-proxy refused a malformed request",
                Outcome.After.LINGER_AND_CLOSE);
    }

    private Outcome.After refuseHead(
            int status, String reason, String answer, Outcome.After after) {
        ctx.notify(l -> l.clientError(client, status, reason));
        return clientSide.sendError(null, status, answer, after).after();
    }

    /**
     * One exchange, first byte to access-log line: framing, decision on the head, body check,
     * forward, response stages, relay or tunnel. Each step either passes the exchange on or ends it
     * with an answer.
     */
    private Outcome exchange(ProxyRequest request) {
        ProxyExchange x = new ProxyExchange(request, client);
        Outcome outcome = process(x);
        ctx.notify(l -> l.exchangeCompleted(x.finished(outcome)));
        return outcome;
    }

    private Outcome process(ProxyExchange x) {
        Policy policy = ctx.policy();
        try {
            x.framing(RequestFraming.of(x.request(), ctx.config().maxRequestBody()));
        } catch (BadRequestException e) {
            x.framingFailed();
            x.decided(Decision.deny(e.status(), e.getMessage(), PROXY_RULE));
            ctx.notify(l -> l.clientError(client, e.status(), e.getMessage()));
            return refuse(x, "docker-socket-proxy refused the request: " + e.getMessage());
        }
        x.decided(judgeHead(policy, x));
        if (!x.decision().allowed()) {
            return refuse(x, x.decision().message());
        }
        Optional<BodyConstraints> constraints = policy.bodyCheck(x.decision());
        if (constraints.isPresent()) {
            if (!readBodyForCheck(x, constraints.get())) {
                return Outcome.clientGone(0, 0);
            }
            x.decided(judgeBody(policy, x));
            if (!x.decision().allowed()) {
                return refuse(x, x.decision().message()).withBytesIn(x.bytesIn());
            }
        }
        try {
            Forwarder.Answer answer = forwarder.send(x);
            if (answer.tunnel()) {
                return relay.tunnel(x, answer);
            }
            List<ResponseStage> stages = relay.stagesFor(x, answer);
            return stages.isEmpty() ? relay.stream(x, answer) : relay.rewritten(x, answer, stages);
        } catch (ExchangeFailure f) {
            return failed(x, f);
        }
    }

    /** Answers a refused request with the decision's status and {@code message}. */
    private Outcome refuse(ProxyExchange x, String message) {
        return clientSide.sendError(
                x.request(), x.decision().status(), message, x.after(ctx.draining(), true));
    }

    /**
     * Answers an exchange that failed after it was allowed; a client that went away gets nothing.
     */
    private Outcome failed(ProxyExchange x, ExchangeFailure f) {
        if (f.daemonError() != null) {
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), f.daemonError()));
        }
        if (f.clientWentAway()) {
            return Outcome.clientGone(x.bytesIn(), 0);
        }
        if (f.closeConnection()) {
            x.closeAfter();
        }
        return clientSide
                .sendError(x.request(), f.status(), f.getMessage(), x.after(ctx.draining(), true))
                .withBytesIn(x.bytesIn());
    }

    /**
     * The policy's verdict on the request head: its target, then (for judged writes) its content
     * type.
     */
    private Decision judgeHead(Policy policy, ProxyExchange x) {
        long t = System.nanoTime();
        Decision d;
        try {
            d =
                    policy.decideContentType(
                            policy.decide(x.method(), x.rawTarget(), client), x.contentTypes());
        } catch (RuntimeException e) {
            LOG.error("policy failed on a request; denying it", e);
            d =
                    Decision.deny(
                            500,
                            "docker-socket-proxy: the policy failed on this request; denied",
                            RuleRef.DEFAULT_DENY);
        }
        long nanos = System.nanoTime() - t;
        Decision decided = d;
        ctx.notify(l -> l.decisionMade(client, x.method(), x.rawTarget(), decided, nanos));
        return d;
    }

    /**
     * Reads the body whole (bounded) for the body check; false when the client went away meanwhile.
     */
    private boolean readBodyForCheck(ProxyExchange x, BodyConstraints constraints) {
        try {
            CheckedBody body =
                    CheckedBody.read(
                            clientSide.connection(),
                            x.request(),
                            x.framing(),
                            constraints.maxBytes());
            x.bodyChecked(body.bytes(), body.complete());
            return true;
        } catch (IOException | HttpException e) {
            return false;
        }
    }

    /** The policy's verdict on the body read for the check. */
    private Decision judgeBody(Policy policy, ProxyExchange x) {
        Decision d = policy.decideBody(x.decision(), x.checkedBody(), ctx.daemonView());
        if (!d.allowed()) {
            ctx.notify(l -> l.decisionMade(client, x.method(), x.rawTarget(), d, 0));
        }
        return d;
    }

    /** The client this connection serves. */
    public ClientIdentity client() {
        return client;
    }

    /** Closes the connection if it is waiting for a request (graceful close). */
    public void closeIfIdle() {
        if (idle) {
            abort();
        }
    }

    /** Closes the client and upstream sockets now; the connection thread then ends. */
    public void abort() {
        aborted = true;
        Forwarder f = forwarder;
        if (f != null) {
            f.abortUpstream();
        }
        ClientSide cs = clientSide;
        if (cs != null) {
            cs.close();
        } else {
            closeSocketQuietly();
        }
    }

    private void closeSocketQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
