package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.server.Exchange;
import dev.dockerproxy.server.ProxyListener;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Turns the server's observations into the access log (one line per exchange, on standard
 * output) and operator messages (upstream errors, client errors, warnings, on standard error).
 * Thread-safe. Access log lines are formatted on the connection thread and written in batches by a
 * {@link LineWriter}; {@link #close()} writes what is queued. Operator messages are written at once.
 */
final class AccessLog implements ProxyListener, AutoCloseable {

    private final LineWriter out;
    private final PrintWriter err;
    private final AccessLogFormat format;
    private final String level;

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
        AccessLogEntry e = new AccessLogEntry(x.started(), x.client().toString(), x.method(), x.target(),
                x.endpointId(), x.decision().allowed(), x.ruleName(), x.decision().rule().source().toString(),
                x.status(), x.bytesOut(), TimeUnit.NANOSECONDS.toMillis(x.durationNanos()));
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
