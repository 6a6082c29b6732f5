package dev.dockerproxy.server;

import dev.dockerproxy.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Everything a {@link DockerSocketProxy} needs: listeners, upstream, policy, limits and hooks.
 * Immutable and thread-safe; build one with {@link #builder()} and copy it with {@link
 * #toBuilder()}.
 *
 * <p>Defaults: listen on {@code tcp://127.0.0.1:2375}, upstream {@code
 * unix:///var/run/docker.sock}, UNIX socket mode {@code 0660}, header read timeout 10 s, keep-alive
 * idle timeout 2 min, max header size 64 KiB, 1024 connections, unlimited request bodies, graceful
 * close 10 s, upstream connect timeout 5 s, threads chosen automatically (virtual on Java 21+). A
 * policy has no default: a proxy without one would have nothing to enforce. The {@code DEFAULT_*}
 * constants are these values; the command line uses the same ones, but for its listeners
 * (Tecnativa's {@code 0.0.0.0} and {@code ::} on port 2375: it runs as a drop-in in a container).
 */
public final class ProxyConfig {

    public static final ListenAddress DEFAULT_LISTEN = ListenAddress.tcp("127.0.0.1", 2375);
    public static final int DEFAULT_UNIX_SOCKET_MODE = 0660;
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    public static final int DEFAULT_MAX_HEADER_SIZE = 64 * 1024;

    /**
     * Most client connections served at once; more get a 503. A Docker socket proxy has a handful
     * of clients (Traefik, Portainer, a CI runner), each with a few connections and an event
     * stream. Each connection holds a thread (a platform thread on Java 17) and two file
     * descriptors (client and daemon), plus one more task while it streams: 16,384 connections
     * would need some 33,000 descriptors, far past the usual soft limit of 1,024, so the proxy
     * would fail in {@code accept} with "too many open files" long before it answered a clean 503.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_024;

    public static final long UNLIMITED_BODY = Long.MAX_VALUE;
    public static final Duration DEFAULT_GRACEFUL_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UPSTREAM_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final List<ListenAddress> listeners;
    private final int unixSocketMode;
    private final UpstreamAddress upstream;
    private final Policy policy;
    private final Duration headerReadTimeout;
    private final Duration idleTimeout;
    private final int maxHeaderSize;
    private final int maxConnections;
    private final long maxRequestBody;
    private final Duration gracefulCloseTimeout;
    private final Duration upstreamConnectTimeout;
    private final Executor executor;
    private final ProxyListener listener;
    private final List<ResponseStage> responseStages;

    private ProxyConfig(Builder b) {
        this.listeners = List.copyOf(b.listeners.isEmpty() ? List.of(DEFAULT_LISTEN) : b.listeners);
        this.unixSocketMode = b.unixSocketMode;
        this.upstream = b.upstream;
        this.policy = b.policy;
        this.headerReadTimeout = b.headerReadTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxConnections = b.maxConnections;
        this.maxRequestBody = b.maxRequestBody;
        this.gracefulCloseTimeout = b.gracefulCloseTimeout;
        this.upstreamConnectTimeout = b.upstreamConnectTimeout;
        this.executor = b.executor;
        this.listener = b.listener;
        this.responseStages = List.copyOf(b.responseStages);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listeners.addAll(listeners);
        b.unixSocketMode = unixSocketMode;
        b.upstream = upstream;
        b.policy = policy;
        b.headerReadTimeout = headerReadTimeout;
        b.idleTimeout = idleTimeout;
        b.maxHeaderSize = maxHeaderSize;
        b.maxConnections = maxConnections;
        b.maxRequestBody = maxRequestBody;
        b.gracefulCloseTimeout = gracefulCloseTimeout;
        b.upstreamConnectTimeout = upstreamConnectTimeout;
        b.executor = executor;
        b.listener = listener;
        b.responseStages.addAll(responseStages);
        return b;
    }

    public List<ListenAddress> listeners() {
        return listeners;
    }

    /** POSIX permission bits applied to UNIX listener sockets, e.g. {@code 0660}. */
    public int unixSocketMode() {
        return unixSocketMode;
    }

    public UpstreamAddress upstream() {
        return upstream;
    }

    /** The policy that judges every request. */
    public Policy policy() {
        return policy;
    }

    /** How long a client may take to send a complete request head once it has started one. */
    public Duration headerReadTimeout() {
        return headerReadTimeout;
    }

    /** How long a kept-alive connection may wait for its next request. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Maximum bytes of a request head (request line plus headers). */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Maximum declared request body length; longer bodies get a 413. */
    public long maxRequestBody() {
        return maxRequestBody;
    }

    public Duration gracefulCloseTimeout() {
        return gracefulCloseTimeout;
    }

    public Duration upstreamConnectTimeout() {
        return upstreamConnectTimeout;
    }

    /** The executor for connection tasks, or {@code null} for the automatic choice. */
    public Executor executor() {
        return executor;
    }

    public ProxyListener listener() {
        return listener;
    }

    /** The stages every answer passes before it reaches the client, in order; none by default. */
    public List<ResponseStage> responseStages() {
        return responseStages;
    }

    @Override
    public String toString() {
        return "ProxyConfig{listeners="
                + listeners
                + ", upstream="
                + upstream
                + ", unixSocketMode="
                + Integer.toOctalString(unixSocketMode)
                + ", headerReadTimeout="
                + headerReadTimeout
                + ", idleTimeout="
                + idleTimeout
                + ", maxHeaderSize="
                + maxHeaderSize
                + ", maxConnections="
                + maxConnections
                + ", maxRequestBody="
                + maxRequestBody
                + ", gracefulCloseTimeout="
                + gracefulCloseTimeout
                + "}";
    }

    /** Builds a {@link ProxyConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<ListenAddress> listeners = new ArrayList<>();
        private int unixSocketMode = DEFAULT_UNIX_SOCKET_MODE;
        private UpstreamAddress upstream = UpstreamAddress.DEFAULT;
        private Policy policy;
        private Duration headerReadTimeout = DEFAULT_HEADER_READ_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private long maxRequestBody = UNLIMITED_BODY;
        private Duration gracefulCloseTimeout = DEFAULT_GRACEFUL_CLOSE_TIMEOUT;
        private Duration upstreamConnectTimeout = DEFAULT_UPSTREAM_CONNECT_TIMEOUT;
        private Executor executor;
        private ProxyListener listener = ProxyListener.NO_OP;
        private final List<ResponseStage> responseStages = new ArrayList<>();

        private Builder() {}

        /** Adds a listener; without any, the proxy listens on {@link #DEFAULT_LISTEN}. */
        public Builder listen(ListenAddress address) {
            listeners.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Adds a listener parsed from {@code tcp://HOST:PORT} or {@code unix:///path}. */
        public Builder listen(String address) {
            return listen(ListenAddress.parse(address));
        }

        /** Replaces all listeners. */
        public Builder listeners(List<ListenAddress> addresses) {
            listeners.clear();
            addresses.forEach(this::listen);
            return this;
        }

        public Builder unixSocketMode(int mode) {
            if (mode < 0 || mode > 0777) {
                throw new IllegalArgumentException(
                        "UNIX socket mode "
                                + Integer.toOctalString(mode)
                                + " is not a permission mode; use octal 0000..0777, e.g. 0660");
            }
            this.unixSocketMode = mode;
            return this;
        }

        public Builder upstream(UpstreamAddress upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            return this;
        }

        /** Sets the upstream from a {@code DOCKER_HOST}-style string. */
        public Builder upstream(String upstream) {
            return upstream(UpstreamAddress.parse(upstream));
        }

        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder headerReadTimeout(Duration timeout) {
            this.headerReadTimeout = positive(timeout, "headerReadTimeout");
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        public Builder maxHeaderSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException(
                        "maxHeaderSize " + bytes + " is too small; use at least 1024");
            }
            this.maxHeaderSize = bytes;
            return this;
        }

        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException(
                        "maxConnections must be at least 1, got " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        public Builder maxRequestBody(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException(
                        "maxRequestBody must not be negative, got " + bytes);
            }
            this.maxRequestBody = bytes;
            return this;
        }

        public Builder gracefulCloseTimeout(Duration timeout) {
            this.gracefulCloseTimeout = Objects.requireNonNull(timeout, "gracefulCloseTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("gracefulCloseTimeout must not be negative");
            }
            return this;
        }

        public Builder upstreamConnectTimeout(Duration timeout) {
            this.upstreamConnectTimeout = positive(timeout, "upstreamConnectTimeout");
            return this;
        }

        /**
         * Runs connection tasks on {@code executor} instead of the automatic choice (virtual
         * threads on Java 21+, platform threads on 17). The proxy never shuts a given executor
         * down. Each client connection occupies one task, plus one more while a stream or tunnel is
         * open.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder listener(ProxyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Adds a stage the daemon's answers pass before they reach the client (after those added
         * before): see {@link ResponseStage}.
         */
        public Builder responseStage(ResponseStage stage) {
            responseStages.add(Objects.requireNonNull(stage, "stage"));
            return this;
        }

        /**
         * @throws IllegalStateException when no policy was set
         */
        public ProxyConfig build() {
            if (policy == null) {
                throw new IllegalStateException(
                        "no policy set; call policy(...), e.g. "
                                + "ProxyConfig.builder().policy(Presets.get(\"read-only\"))");
            }
            return new ProxyConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
