package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.server.Exchange;
import dev.dockerproxy.server.ProxyListener;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Turns the server's observations into the access log (one line per exchange, on standard output)
 * and operator messages (upstream errors, client errors, warnings, on standard error). Thread-safe.
 * Access log lines are formatted on the connection thread and written in batches by a {@link
 * LineWriter}; {@link #close()} writes what is queued. Operator messages are written at once.
 */
final class AccessLog implements ProxyListener, AutoCloseable {

    private final LineWriter out;
    private final PrintWriter err;
    private final AccessLogFormat format;
    private final String level;

    /**
     * Exchanges are reported on their connection's thread, and a connection repeats its client and
     * rules.
     */
    private final ThreadLocal<Labels> labels = ThreadLocal.withInitial(Labels::new);

    /**
     * The last client and rule source this thread formatted, and their text (compared by identity).
     */
    private static final class Labels {
        private ClientIdentity client;
        private String clientText;
        private RuleSource source;
        private String sourceText;

        String client(ClientIdentity c) {
            if (c != client) {
                clientText = c.toString();
                client = c;
            }
            return clientText;
        }

        String source(RuleSource s) {
            if (s != source) {
                sourceText = s.toString();
                source = s;
            }
            return sourceText;
        }
    }

    AccessLog(PrintWriter out, PrintWriter err, AccessLogFormat format, String level) {
        this.out = new LineWriter(out, "docker-socket-proxy-access-log");
        this.err = err;
        this.format = format;
        this.level = level;
    }

    @Override
    public void exchangeCompleted(Exchange x) {
        if (!LogLevel.logsRequest(level, x.decision().allowed())) {
            return;
        }
        Labels l = labels.get();
        AccessLogEntry e =
                new AccessLogEntry(
                        x.started(),
                        l.client(x.client()),
                        x.method(),
                        x.target(),
                        x.endpointId(),
                        x.decision().allowed(),
                        x.ruleName(),
                        l.source(x.decision().rule().source()),
                        x.status(),
                        x.bytesOut(),
                        TimeUnit.NANOSECONDS.toMillis(x.durationNanos()));
        out.add(format.format(e));
    }

    /** Writes every queued access log line and flushes; later lines are written directly. */
    @Override
    public void close() {
        out.close();
    }

    @Override
    public void upstreamError(ClientIdentity client, UpstreamAddress upstream, Exception error) {
        if (LogLevel.logsRequest(level, false) || level.startsWith("err")) {
            message("upstream " + upstream + " failed for " + client + ": " + error.getMessage());
        }
    }

    @Override
    public void clientError(ClientIdentity client, int status, String reason) {
        if (LogLevel.logsRequest(level, false)) {
            message("refused " + client + " with " + status + ": " + reason);
        }
    }

    @Override
    public void warning(String message) {
        message("warning: " + message);
    }

    private void message(String text) {
        synchronized (err) {
            err.println("docker-socket-proxy: " + Escaping.printable(text));
            err.flush();
        }
    }
}
