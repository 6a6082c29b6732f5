package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.DaemonView;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.ProxyListener;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hc.core5.http.config.Http1Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of one running proxy shares: config, judge, upstream connector, executor,
 * listener (exceptions it throws are logged and swallowed) and the draining flag. Thread-safe.
 */
public final class ServerContext {

    private static final Logger LOG = LoggerFactory.getLogger(ServerContext.class);

    /**
     * HttpCore's per-connection session buffers: an in and an out buffer (and a line buffer of the
     * same size) for each side of a proxied connection, six in all, held as long as the connection
     * lives. Kept small because idle streams (thousands of {@code /events}) hold them: 1 KiB each
     * is 6 KiB a stream where 4 KiB was 24 KiB. Heads are read and written through them (a head
     * larger than the buffer takes more than one system call, nothing else changes); bodies bypass
     * them: reads and writes over 512 bytes go straight between the socket and {@link StreamCopy}'s
     * buffer.
     */
    static final int SESSION_BUFFER_SIZE = 1024;

    private final ProxyConfig config;
    private final Executor executor;
    private final UpstreamConnector connector;
    private final DaemonLookups daemonView;
    private final Http1Config http1Config;
    private volatile Policy policy;
    private volatile boolean draining;
    private final ScheduledThreadPoolExecutor timer;
    private final ReadDeadlines readDeadlines;

    public ServerContext(ProxyConfig config, Executor executor) {
        this.config = config;
        this.policy = config.policy();
        this.executor = executor;
        this.http1Config =
                Http1Config.custom()
                        .setBufferSize(SESSION_BUFFER_SIZE)
                        .setChunkSizeHint(SESSION_BUFFER_SIZE)
                        .setMaxLineLength(config.maxHeaderSize())
                        .setMaxHeaderCount(256)
                        .build();
        this.timer =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "docker-socket-proxy-timer");
                            t.setDaemon(true);
                            return t;
                        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.readDeadlines = new ReadDeadlines(timer);
        this.connector =
                new UpstreamConnector(
                        config.upstream(), config.upstreamConnectTimeout(), http1Config);
        this.daemonView = new DaemonLookups(connector, this::schedule);
    }

    public ProxyConfig config() {
        return config;
    }

    /**
     * Runs {@code task} (which must be quick) after {@code delayMillis} on the proxy's timer
     * thread; cancel the returned future when it is no longer needed. {@code null} once the proxy
     * is closed.
     */
    public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    /** Ends client reads that outlive their timeout (see {@link ClientInput}). */
    public ReadDeadlines readDeadlines() {
        return readDeadlines;
    }

    /** Stops the timer and the read-deadline sweeper; called when the proxy closes. */
    public void close() {
        timer.shutdownNow();
        readDeadlines.close();
    }

    /**
     * The policy in force; read once per exchange so a request is judged by one policy throughout.
     */
    public Policy policy() {
        return policy;
    }

    /** Replaces the policy for exchanges that start from now on. */
    public void policy(Policy policy) {
        this.policy = java.util.Objects.requireNonNull(policy, "policy");
    }

    public Executor executor() {
        return executor;
    }

    /** The body check's read-only view of the daemon. */
    public DaemonView daemonView() {
        return daemonView;
    }

    public UpstreamConnector connector() {
        return connector;
    }

    public Http1Config http1Config() {
        return http1Config;
    }

    /** Calls the listener, logging (never propagating) what it throws. */
    public void notify(Consumer<ProxyListener> event) {
        try {
            event.accept(config.listener());
        } catch (RuntimeException e) {
            LOG.warn("ProxyListener threw; ignoring", e);
        }
    }

    /**
     * Whether the proxy is closing gracefully: finish the current exchange, accept no new request.
     */
    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
