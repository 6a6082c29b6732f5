package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.RuleRef;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.server.Exchange;
import dev.dockerproxy.server.ListenAddress;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * One client connection, start to end: read a head, validate its framing, ask the policy, then
 * deny or forward; repeat while the connection stays alive. Every request on the connection is
 * judged, pipelined ones included, because each head is parsed by the proxy itself.
 */
public final class ConnectionHandler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final RuleRef PROXY_RULE = new RuleRef("proxy-framing", -1,
            new RuleSource(RuleSource.Kind.BUILTIN, "request framing"));

    private final ServerContext ctx;
    private final Executor executor;
    private final Socket socket;
    private final ClientIdentity client;
    private final ListenAddress listenAddress;
    private final Runnable onDone;
    private volatile ClientSide clientSide;
    private volatile Forwarder forwarder;
    private volatile boolean idle = true;
    private volatile boolean aborted;

    /**
     * @param executor runs this connection's helper tasks (the stream watcher, a tunnel's second
     *                 direction)
     */
    public ConnectionHandler(ServerContext ctx, Executor executor, Socket socket, ClientIdentity client,
                             ListenAddress listenAddress, Runnable onDone) {
        this.ctx = ctx;
        this.executor = executor;
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
            forwarder = new Forwarder(ctx, executor, clientSide, client);
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
            ClassicHttpRequest request;
            try {
                request = clientSide.connection().receiveRequestHeader();
            } catch (BadRequestException e) {
                idle = false;
                ctx.notify(l -> l.clientError(client, e.status(), e.getMessage()));
                clientSide.sendError(null, e.status(), "docker-socket-proxy refused the request: "
                        + e.getMessage(), true);
                return true;
            } catch (SocketTimeoutException e) {
                idle = false;
                if (clientSide.parser().headStarted()) {
                    ctx.notify(l -> l.clientError(client, 408, "request head not complete within "
                            + ctx.config().headerReadTimeout()));
                    clientSide.sendError(null, 408, "docker-socket-proxy: request head not complete within "
                            + ctx.config().headerReadTimeout().toMillis() + " ms", true);
                }
                return false;
            } catch (HttpException e) {
                idle = false;
                ctx.notify(l -> l.clientError(client, 400, e.getMessage()));
                clientSide.sendError(null, 400, "docker-socket-proxy refused a malformed request", true);
                return true;
            }
            idle = false;
            if (request == null) {
                return false;
            }
            Outcome outcome = exchange((ProxyRequest) request);
            if (!outcome.keepAlive()) {
                return false;
            }
        }
        return false;
    }

    private Outcome exchange(ProxyRequest request) throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String method = request.getMethod();
        String rawTarget = request.rawTarget();
        boolean keepAlive = clientKeepsAlive(request);
        Decision decision;
        Outcome outcome;
        RequestFraming framing;
        try {
            framing = RequestFraming.of(request, ctx.config().maxRequestBody());
        } catch (BadRequestException e) {
            decision = new Decision(false, e.status(), e.getMessage(), null, null, PROXY_RULE);
            ctx.notify(l -> l.clientError(client, e.status(), e.getMessage()));
            outcome = clientSide.sendError(request, e.status(), "docker-socket-proxy refused the request: "
                    + e.getMessage(), true);
            report(started, t0, method, rawTarget, decision, new Outcome(outcome.status(), 0, outcome.bytesOut(),
                    false, false));
            clientSide.lingerAndClose();
            return new Outcome(e.status(), 0, 0, false, false);
        }
        Policy policy = ctx.policy();
        decision = judge(policy, request);
        if (!decision.allowed()) {
            boolean close = framing.hasBody() || !keepAlive || ctx.draining();
            outcome = clientSide.sendError(request, decision.status(), decision.message(), close);
            report(started, t0, method, rawTarget, decision, outcome);
            if (close && framing.hasBody()) {
                clientSide.lingerAndClose();
            }
            return outcome;
        }
        CheckedBody checked = null;
        Optional<BodyConstraints> constraints = policy.bodyCheck(decision);
        if (constraints.isPresent()) {
            try {
                checked = CheckedBody.read(clientSide.connection(), request, framing, constraints.get().maxBytes());
            } catch (IOException | HttpException e) {
                report(started, t0, method, rawTarget, decision, new Outcome(499, 0, 0, false, false));
                return new Outcome(499, 0, 0, false, false);
            }
            Decision headDecision = decision;
            decision = policy.decideBody(headDecision, checked.bytes(), ctx.daemonView());
            if (!decision.allowed()) {
                Decision bodyDecision = decision;
                ctx.notify(l -> l.decisionMade(client, method, rawTarget, bodyDecision, 0));
                boolean close = !checked.complete() || !keepAlive || ctx.draining();
                outcome = clientSide.sendError(request, decision.status(), decision.message(), close);
                outcome = new Outcome(outcome.status(), checked.bytes().length, outcome.bytesOut(),
                        outcome.keepAlive(), false);
                report(started, t0, method, rawTarget, decision, outcome);
                if (!checked.complete()) {
                    clientSide.lingerAndClose();
                }
                return outcome;
            }
        }
        try {
            outcome = forwarder.forward(request, decision, framing, keepAlive, checked == null ? null : checked.bytes());
        } catch (HttpException e) {
            ctx.notify(l -> l.upstreamError(client, ctx.connector().address(), e));
            outcome = new Outcome(502, 0, 0, false, false);
        } catch (IOException e) {
            outcome = new Outcome(499, 0, 0, false, false);
        }
        report(started, t0, method, rawTarget, decision, outcome);
        return outcome;
    }

    private static List<String> contentTypes(ProxyRequest request) {
        Header[] headers = request.getHeaders("Content-Type");
        if (headers.length == 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>(headers.length);
        for (Header h : headers) {
            values.add(h.getValue());
        }
        return values;
    }

    /** The policy's verdict on the request head: its target, then (for judged writes) its content type. */
    private Decision judge(Policy policy, ProxyRequest request) {
        String method = request.getMethod();
        String rawTarget = request.rawTarget();
        long t = System.nanoTime();
        Decision d;
        try {
            d = policy.decideContentType(policy.decide(method, rawTarget, client), contentTypes(request));
        } catch (RuntimeException e) {
            LOG.error("policy failed on a request; denying it", e);
            d = new Decision(false, 500, "docker-socket-proxy: the policy failed on this request; denied",
                    null, null, RuleRef.DEFAULT_DENY);
        }
        long nanos = System.nanoTime() - t;
        Decision decided = d;
        ctx.notify(l -> l.decisionMade(client, method, rawTarget, decided, nanos));
        return d;
    }

    private void report(Instant started, long t0, String method, String rawTarget, Decision decision,
                        Outcome outcome) {
        String target = decision.allowed() ? decision.request().forwardTarget() : Json.sanitize(rawTarget);
        Exchange exchange = new Exchange(started, client, Json.sanitize(method), target, decision,
                outcome.status(), outcome.bytesIn(), outcome.bytesOut(), System.nanoTime() - t0,
                outcome.tunnelled());
        ctx.notify(l -> l.exchangeCompleted(exchange));
    }

    private static boolean clientKeepsAlive(ProxyRequest request) {
        if (HopByHop.wantsClose(request)) {
            return false;
        }
        return !HttpVersion.HTTP_1_0.equals(request.getVersion()) || HopByHop.wantsKeepAlive(request);
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
