package dev.dockerproxy.server;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.internal.Acceptor;
import dev.dockerproxy.server.internal.ConnectionRegistry;
import dev.dockerproxy.server.internal.ListenerSocket;
import dev.dockerproxy.server.internal.ServerContext;
import dev.dockerproxy.server.internal.TcpListenerBinder;
import dev.dockerproxy.server.internal.Threads;
import dev.dockerproxy.server.internal.UnixListenerBinder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Docker socket proxy: listens on the configured addresses, judges every request with the
 * policy, and forwards allowed ones to the daemon.
 *
 * <pre>{@code
 * try (DockerSocketProxy proxy = new DockerSocketProxy(ProxyConfig.builder()
 *         .listen(ListenAddress.tcp("127.0.0.1", 0))
 *         .policy(Presets.get("read-only"))
 *         .build()).start()) {
 *     URI uri = proxy.boundAddress().toUri();   // http://127.0.0.1:40123
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifecycle: new, running, closed. {@link #start()} and {@link #close()} are idempotent; a
 * closed proxy cannot be restarted (create a new one). Thread-safe.
 */
public final class DockerSocketProxy implements AutoCloseable {

    private static final int BACKLOG = 512;

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final ProxyConfig config;
    private final Object lock = new Object();
    private State state = State.NEW;
    private final List<ListenerSocket> servers = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();
    private List<ListenAddress> bound = List.of();
    private ExecutorService ownedExecutor;
    private ServerContext ctx;
    private ConnectionRegistry registry;
    private Policy policy;

    public DockerSocketProxy(ProxyConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.policy = config.policy();
    }

    /** The policy in force: the configured one, or the last one passed to {@link #updatePolicy}. */
    public Policy policy() {
        synchronized (lock) {
            return policy;
        }
    }

    /**
     * Replaces the policy atomically: every exchange that starts afterwards, on new and on open
     * keep-alive connections, is judged by {@code newPolicy}; an exchange already being judged
     * finishes under the policy it started with. Open tunnels and streams are not cut. A caller
     * that reloads configuration validates it first and keeps the old policy on error (building a
     * {@link Policy} either succeeds whole or throws, so there is no half-applied state).
     *
     * @return the policy it replaced
     */
    public Policy updatePolicy(Policy newPolicy) {
        Objects.requireNonNull(newPolicy, "newPolicy");
        synchronized (lock) {
            Policy old = policy;
            policy = newPolicy;
            if (ctx != null) {
                ctx.policy(newPolicy);
            }
            return old;
        }
    }

    public ProxyConfig config() {
        return config;
    }

    /**
     * Binds every listener and starts accepting. Does nothing when already running.
     *
     * @return this proxy
     * @throws java.net.BindException when a listener cannot be bound (port in use, live socket...),
     *     with a message naming the address and what to do; nothing stays bound
     * @throws IllegalStateException after {@link #close()}
     */
    public DockerSocketProxy start() throws IOException {
        synchronized (lock) {
            if (state == State.RUNNING) {
                return this;
            }
            if (state == State.CLOSED) {
                throw new IllegalStateException(
                        "this proxy was closed; create a new DockerSocketProxy to start again");
            }
            Executor executor = config.executor();
            if (executor == null) {
                ownedExecutor = Threads.newConnectionExecutor();
                executor = ownedExecutor;
            }
            ctx = new ServerContext(config, executor);
            ctx.policy(policy);
            registry = new ConnectionRegistry(config.maxConnections());
            List<ListenAddress> resolved = new ArrayList<>();
            try {
                for (ListenAddress address : config.listeners()) {
                    resolved.add(bind(address));
                }
            } catch (IOException | RuntimeException e) {
                closeServers();
                deleteTempDirs();
                if (ownedExecutor != null) {
                    ownedExecutor.shutdownNow();
                    ownedExecutor = null;
                }
                ctx.close();
                throw e;
            }
            bound = List.copyOf(resolved);
            for (int i = 0; i < servers.size(); i++) {
                Thread t =
                        new Thread(
                                new Acceptor(ctx, servers.get(i), bound.get(i), registry),
                                "docker-proxy-accept-" + bound.get(i));
                t.setDaemon(true);
                t.start();
                acceptors.add(t);
            }
            state = State.RUNNING;
            return this;
        }
    }

    private ListenAddress bind(ListenAddress address) throws IOException {
        if (address.kind() == ListenAddress.Kind.TCP) {
            ServerSocket s =
                    new TcpListenerBinder(TcpListenerBinder.SYSTEM)
                            .bind(
                                    address.host(),
                                    address.port(),
                                    BACKLOG,
                                    message -> ctx.notify(l -> l.warning(message)));
            servers.add(ListenerSocket.tcp(s));
            InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
            return ListenAddress.tcp(
                    local.getAddress().getHostAddress().replaceAll("%.*$", ""), local.getPort());
        }
        Path path = address.path();
        if (address.isTemp()) {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "dsp");
            tempDirs.add(dir);
            path = dir.resolve("docker.sock");
        }
        servers.add(UnixListenerBinder.bind(path, config.unixSocketMode(), BACKLOG));
        return ListenAddress.unix(path);
    }

    /**
     * The addresses actually bound, in configuration order: ephemeral ports and temp socket paths
     * resolved.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public List<ListenAddress> boundAddresses() {
        synchronized (lock) {
            if (state == State.NEW) {
                throw new IllegalStateException("the proxy is not started; call start() first");
            }
            return bound;
        }
    }

    /** The first bound address; see {@link #boundAddresses()}. */
    public ListenAddress boundAddress() {
        return boundAddresses().get(0);
    }

    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /** The number of open client connections. */
    public int activeConnections() {
        ConnectionRegistry r;
        synchronized (lock) {
            r = registry;
        }
        return r == null ? 0 : r.size();
    }

    /**
     * Graceful close: stops accepting, closes idle connections, lets in-flight exchanges finish
     * within {@link ProxyConfig#gracefulCloseTimeout()}, then closes what is left (open streams
     * included). Idempotent.
     */
    @Override
    public void close() {
        shutdown(config.gracefulCloseTimeout());
    }

    /** Closes every listener and connection now, in-flight exchanges included. Idempotent. */
    public void closeImmediately() {
        shutdown(Duration.ZERO);
    }

    private void shutdown(Duration grace) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                state = State.CLOSED;
                return;
            }
            state = State.CLOSED;
        }
        ctx.startDraining();
        closeServers();
        registry.closeIdle();
        try {
            if (!grace.isZero()) {
                registry.awaitEmpty(System.nanoTime() + grace.toNanos());
            }
            registry.abortAll();
            registry.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            for (Thread t : acceptors) {
                t.join(TimeUnit.SECONDS.toMillis(2));
            }
        } catch (InterruptedException e) {
            registry.abortAll();
            Thread.currentThread().interrupt();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        ctx.close();
        deleteTempDirs();
    }

    private void closeServers() {
        for (ListenerSocket s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void deleteTempDirs() {
        for (Path dir : tempDirs) {
            try {
                Files.deleteIfExists(dir.resolve("docker.sock"));
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "DockerSocketProxy{"
                    + state.name().toLowerCase(java.util.Locale.ROOT)
                    + ", listeners="
                    + (bound.isEmpty() ? config.listeners() : bound)
                    + ", upstream="
                    + config.upstream()
                    + "}";
        }
    }
}
