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
 * Thread-safe: lines are written whole under a lock.
 */
final class AccessLog implements ProxyListener {

    private final PrintWriter out;
    private final PrintWriter err;
    private final AccessLogFormat format;
    private final String level;

    AccessLog(PrintWriter out, PrintWriter err, AccessLogFormat format, String level) {
        this.out = out;
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
        String line = format.format(e);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
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
