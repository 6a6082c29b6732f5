package dev.dockerproxy.testkit;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link DockerSocketProxy} with a given {@link Policy} in front of a {@link FakeDockerDaemon},
 * so a test can assert "with this policy, my app's calls succeed and nothing else reaches the
 * daemon".
 *
 * <pre>{@code
 * try (ProxyFixture fixture = ProxyFixture.builder().policy(Presets.get("read-only")).tcp().build().start()) {
 *     myApp.useDocker(fixture.dockerHost());            // tcp://127.0.0.1:PORT, the proxy's side
 *     DaemonAssertions.assertThat(fixture.daemon())
 *             .receivedOnlyReads()
 *             .neverReceived("POST", "/containers/create");
 * }
 * }</pre>
 *
 * <p>The fixture starts its own daemon on a temporary UNIX socket unless you pass one with {@link
 * Builder#daemon(FakeDockerDaemon)} (then you own it: the fixture starts it if needed but never
 * closes it). Clients connect to the proxy on a temporary UNIX socket (default) or a loopback TCP
 * port ({@link Builder#tcp()}).
 *
 * <p>Single use: {@link #start()} and {@link #close()} are idempotent; {@code close()} closes the
 * proxy, then the fixture's own daemon. Thread-safe.
 */
public final class ProxyFixture implements AutoCloseable {
    /** Tests should not wait 10 s for a stream the test left open. */
    static final Duration DEFAULT_GRACEFUL_CLOSE = Duration.ofSeconds(1);

    private enum State {
        NEW,
        STARTED,
        CLOSED
    }

    private final FakeDockerDaemon daemon;
    private final boolean ownsDaemon;
    private final boolean tcp;
    private final Policy policy;
    private final Consumer<ProxyConfig.Builder> configurer;
    private State state = State.NEW;
    private DockerSocketProxy proxy;
    private ListenAddress bound;

    private ProxyFixture(Builder b) {
        this.daemon = b.daemon != null ? b.daemon : new FakeDockerDaemon();
        this.ownsDaemon = b.daemon == null;
        this.tcp = b.tcp;
        this.policy = b.policy;
        this.configurer = b.configurer;
    }

    /** A builder; {@link Builder#policy(Policy)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the daemon (if not running) and the proxy in front of it. Idempotent while running; a
     * closed fixture cannot start again. When the proxy cannot start, the fixture closes its own
     * daemon and is closed.
     */
    public synchronized ProxyFixture start() throws IOException {
        if (state == State.STARTED) {
            return this;
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("close() already called; build a new ProxyFixture");
        }
        daemon.start();
        UpstreamAddress upstream =
                daemon.isUnixSocket()
                        ? UpstreamAddress.unix(daemon.socketPath())
                        : UpstreamAddress.tcp("127.0.0.1", daemon.port());
        ProxyConfig.Builder config =
                ProxyConfig.builder()
                        .listen(tcp ? ListenAddress.tcp("127.0.0.1", 0) : ListenAddress.unixTemp())
                        .upstream(upstream)
                        .policy(policy)
                        .gracefulCloseTimeout(DEFAULT_GRACEFUL_CLOSE);
        configurer.accept(config);
        DockerSocketProxy p = new DockerSocketProxy(config.build());
        try {
            p.start();
        } catch (IOException | RuntimeException e) {
            state = State.CLOSED;
            if (ownsDaemon) {
                daemon.close();
            }
            throw e;
        }
        proxy = p;
        bound = p.boundAddress();
        state = State.STARTED;
        return this;
    }

    /**
     * Closes the proxy (briefly letting in-flight exchanges finish), then the fixture's own daemon.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.STARTED) {
            proxy.close();
        }
        if (ownsDaemon) {
            daemon.close();
        }
        state = State.CLOSED;
    }

    private synchronized ListenAddress running() {
        if (state == State.NEW) {
            throw new IllegalStateException("the proxy fixture is not started; call start() first");
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("close() already called; build a new ProxyFixture");
        }
        return bound;
    }

    /**
     * The fake daemon behind the proxy: script it and read its journal. Available before {@link
     * #start()}, so responses can be enqueued first.
     */
    public FakeDockerDaemon daemon() {
        return daemon;
    }

    /** The running proxy. */
    public synchronized DockerSocketProxy proxy() {
        running();
        return proxy;
    }

    /** The policy the proxy enforces. */
    public Policy policy() {
        return policy;
    }

    /**
     * Where clients connect (the proxy's side), in {@code DOCKER_HOST} form: {@code unix:///…} or
     * {@code tcp://127.0.0.1:PORT}.
     */
    public String dockerHost() {
        return running().toString();
    }

    /**
     * The proxy's UNIX socket file; only for a fixture listening on a UNIX socket (the default).
     */
    public Path socketPath() {
        ListenAddress a = running();
        if (a.kind() != ListenAddress.Kind.UNIX) {
            throw new IllegalStateException(
                    "this proxy fixture listens on TCP; use port() or dockerHost(), "
                            + "or build it without tcp() for a UNIX socket");
        }
        return a.path();
    }

    /** The proxy's TCP port; only for a fixture built with {@link Builder#tcp()}. */
    public int port() {
        ListenAddress a = running();
        if (a.kind() != ListenAddress.Kind.TCP) {
            throw new IllegalStateException(
                    "this proxy fixture listens on a UNIX socket; use socketPath() or "
                            + "dockerHost(), or build it with tcp() for a TCP port");
        }
        return a.port();
    }

    /**
     * An {@code http://127.0.0.1:PORT/path} URL on the proxy, for plain HTTP clients; only with
     * {@link Builder#tcp()}.
     */
    public URI url(String path) {
        int port = port();
        return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
    }

    @Override
    public synchronized String toString() {
        return "ProxyFixture{"
                + state.name().toLowerCase(java.util.Locale.ROOT)
                + (bound != null ? ", listening on " + bound : "")
                + ", daemon="
                + daemon
                + "}";
    }

    /** Builds a {@link ProxyFixture}. Not thread-safe. */
    public static final class Builder {
        private Policy policy;
        private FakeDockerDaemon daemon;
        private boolean tcp;
        private Consumer<ProxyConfig.Builder> configurer = b -> {};

        private Builder() {}

        /** The policy the proxy enforces, e.g. {@code Presets.get("read-only")}. Required. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Put the proxy in front of {@code daemon} instead of a fresh one on a temporary UNIX
         * socket. The caller owns it: the fixture starts it if needed and never closes it.
         */
        public Builder daemon(FakeDockerDaemon daemon) {
            this.daemon = Objects.requireNonNull(daemon, "daemon");
            return this;
        }

        /** Clients connect on a loopback TCP port instead of a temporary UNIX socket. */
        public Builder tcp() {
            this.tcp = true;
            return this;
        }

        /**
         * Adjusts the proxy's configuration (timeouts, limits, a {@code ProxyListener}) after the
         * fixture has set listener, upstream, policy and a 1 s graceful close. Replacing the
         * listener or upstream breaks the fixture.
         */
        public Builder configure(Consumer<ProxyConfig.Builder> configurer) {
            this.configurer = Objects.requireNonNull(configurer, "configurer");
            return this;
        }

        /**
         * An unstarted fixture; call {@link ProxyFixture#start()}.
         *
         * @throws IllegalStateException when no policy was set
         */
        public ProxyFixture build() {
            if (policy == null) {
                throw new IllegalStateException(
                        "no policy set; call policy(...), e.g. "
                                + "ProxyFixture.builder().policy(Presets.get(\"read-only\"))");
            }
            return new ProxyFixture(this);
        }
    }
}
