package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.DaemonView;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The body check's read-only view of the daemon: each look-up is one {@code GET} on a connection of
 * its own (closed after the answer), bounded in size and in time by the server's timer (which
 * closes the connection of a look-up that takes too long). Thread-safe.
 */
final class DaemonLookups implements DaemonView {

    /** Inspect answers are a few KiB; a larger one is not what the proxy asked for. */
    private static final int MAX_ANSWER = 4 << 20;

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final UpstreamConnector connector;
    private final Deadlines deadlines;
    private final List<String> socketPaths;

    /** Schedules a task after a delay (the server's one timer); the future cancels it. */
    @FunctionalInterface
    interface Deadlines {
        ScheduledFuture<?> schedule(Runnable task, long delayMillis);
    }

    DaemonLookups(UpstreamConnector connector, Deadlines deadlines) {
        this.connector = connector;
        this.deadlines = deadlines;
        this.socketPaths =
                connector.address().isUnix()
                        ? List.of(connector.address().path().toString())
                        : List.<String>of();
    }

    @Override
    public Optional<byte[]> get(String path) throws IOException {
        UpstreamConnection conn = connector.connect();
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline =
                deadlines.schedule(
                        () -> {
                            late.set(true);
                            conn.abort();
                        },
                        READ_TIMEOUT_MILLIS);
        try {
            BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", path);
            request.addHeader("Host", connector.address().hostHeader());
            request.addHeader("Connection", "close");
            conn.sendRequestHeader(request);
            conn.flush();
            ClassicHttpResponse response = conn.receiveResponseHeader();
            conn.receiveResponseEntity(response);
            int status = response.getCode();
            if (status == 404) {
                return Optional.empty();
            }
            byte[] body = read(response);
            if (status != 200) {
                throw new IOException("the daemon answered " + status + " to GET " + path);
            }
            return Optional.of(body);
        } catch (IOException e) {
            throw late.get()
                    ? new IOException(
                            "the daemon did not answer GET "
                                    + path
                                    + " within "
                                    + READ_TIMEOUT_MILLIS
                                    + " ms",
                            e)
                    : e;
        } catch (HttpException e) {
            throw new IOException(
                    "the daemon's answer to GET " + path + " is not valid HTTP: " + e.getMessage(),
                    e);
        } finally {
            if (deadline != null) {
                deadline.cancel(false); // null: the proxy is closing
            }
            conn.abort();
        }
    }

    private static byte[] read(ClassicHttpResponse response) throws IOException {
        if (response.getEntity() == null) {
            return new byte[0];
        }
        try (InputStream in = response.getEntity().getContent()) {
            byte[] body = in.readNBytes(MAX_ANSWER + 1);
            if (body.length > MAX_ANSWER) {
                throw new IOException(
                        "the daemon's answer is larger than " + MAX_ANSWER + " bytes");
            }
            return body;
        }
    }

    @Override
    public List<String> socketPaths() {
        return socketPaths;
    }
}
