package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.server.Exchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpVersion;

/**
 * One request/response exchange while it is processed: what was received, what was decided, how far
 * it got. The pipeline's stages ({@link ConnectionHandler#exchange}) fill it in order; at the end
 * it becomes the immutable {@link Exchange} the listener and the access log get. Used by the
 * connection thread only.
 */
final class ProxyExchange {

    private final ProxyRequest request;
    private final ClientIdentity client;
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final boolean clientKeepsAlive;
    private RequestFraming framing = RequestFraming.NONE;
    private boolean bodyUnread;
    private boolean closeAfter;
    private Decision decision;
    private byte[] checkedBody;
    private long bytesIn;

    ProxyExchange(ProxyRequest request, ClientIdentity client) {
        this.request = request;
        this.client = client;
        this.clientKeepsAlive = clientKeepsAlive(request);
    }

    ProxyRequest request() {
        return request;
    }

    ClientIdentity client() {
        return client;
    }

    String method() {
        return request.getMethod();
    }

    String rawTarget() {
        return request.rawTarget();
    }

    boolean isHead() {
        return "HEAD".equalsIgnoreCase(request.getMethod());
    }

    boolean http10() {
        return HttpVersion.HTTP_1_0.equals(request.getVersion());
    }

    /** The values of the request's {@code Content-Type} headers, in order. */
    List<String> contentTypes() {
        Header[] headers = request.getHeaders("Content-Type");
        List<String> values = new ArrayList<>(headers.length);
        for (Header h : headers) {
            values.add(h.getValue());
        }
        return values;
    }

    /** The validated framing of the request body; until then, none. */
    RequestFraming framing() {
        return framing;
    }

    void framing(RequestFraming framing) {
        this.framing = framing;
        this.bodyUnread = framing.hasBody();
    }

    /** The request could not be framed: whatever follows the head is unread. */
    void framingFailed() {
        this.bodyUnread = true;
    }

    Decision decision() {
        return decision;
    }

    void decided(Decision decision) {
        this.decision = decision;
    }

    /**
     * The body read whole for the body check (forwarded as exactly these bytes), or {@code null}.
     */
    byte[] checkedBody() {
        return checkedBody;
    }

    /** The body was read for the body check; {@code complete} when all of it was read. */
    void bodyChecked(byte[] body, boolean complete) {
        this.checkedBody = body;
        this.bytesIn = body.length;
        this.bodyUnread = !complete;
    }

    /** The client's body went to the daemon to its end. */
    void bodyForwarded(long bytes) {
        this.bytesIn = bytes;
        this.bodyUnread = false;
    }

    long bytesIn() {
        return bytesIn;
    }

    /**
     * The connection must not serve another request after this exchange (a stage found it
     * unusable).
     */
    void closeAfter() {
        this.closeAfter = true;
    }

    /**
     * What the connection does after this exchange's answer: the one place where keep-alive is
     * decided.
     *
     * @param draining whether the proxy is closing gracefully
     * @param answerDelimited whether the answer's end is visible to the client without a close (a
     *     length, or chunked); an answer of unknown length to an HTTP/1.0 client ends with the
     *     close
     */
    Outcome.After after(boolean draining, boolean answerDelimited) {
        if (bodyUnread) {
            return Outcome.After.LINGER_AND_CLOSE;
        }
        if (!clientKeepsAlive || draining || closeAfter || !answerDelimited) {
            return Outcome.After.CLOSE;
        }
        return Outcome.After.KEEP_ALIVE;
    }

    /** The finished exchange, for the listener. */
    Exchange finished(Outcome outcome) {
        String target =
                decision.allowed()
                        ? decision.request().forwardTarget()
                        : Json.sanitize(rawTarget());
        return new Exchange(
                started,
                client,
                Json.sanitize(method()),
                target,
                decision,
                outcome.status(),
                outcome.bytesIn(),
                outcome.bytesOut(),
                System.nanoTime() - startNanos,
                outcome.tunnelled());
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked to keep it. */
    private static boolean clientKeepsAlive(ProxyRequest request) {
        if (HopByHop.hasConnectionToken(request, "close")) {
            return false;
        }
        return !HttpVersion.HTTP_1_0.equals(request.getVersion())
                || HopByHop.hasConnectionToken(request, "keep-alive");
    }
}
