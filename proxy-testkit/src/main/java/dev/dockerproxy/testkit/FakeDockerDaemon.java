package dev.dockerproxy.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.testkit.internal.DaemonCore;
import dev.dockerproxy.testkit.internal.DaemonServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fake Docker Engine for tests, in the spirit of okhttp's {@code MockWebServer}: it listens on a
 * temporary UNIX socket (or a loopback TCP port), answers like a Docker Engine 20.10 (API 1.41)
 * well enough for the real {@code docker} CLI, and records every request that reaches it.
 *
 * <pre>{@code
 * try (FakeDockerDaemon daemon = new FakeDockerDaemon()) {
 *     daemon.start();
 *     daemon.enqueue("POST", "/containers/create", FakeResponse.json(201, "{\"Id\":\"abc\",\"Warnings\":[]}"));
 *     myApp.useDocker(daemon.dockerHost());            // unix:///tmp/fdd123/docker.sock
 *     RecordedRequest create = daemon.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Each request is answered by the first matching response in the queue ({@link
 * #enqueue(FakeResponse)}), or else by the {@link Dispatcher} (by default a {@link
 * DockerEngineDispatcher}).
 *
 * <p>Single use: {@link #start()} and {@link #close()} are idempotent, but a closed daemon cannot
 * be restarted. Thread-safe.
 */
public final class FakeDockerDaemon implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State {
        NEW,
        STARTED,
        CLOSED
    }

    private final Path requestedSocket;
    private final String tcpHost;
    private final int tcpPort;
    private final DaemonCore core = new DaemonCore(new DockerEngineDispatcher());
    private State state = State.NEW;
    private DaemonServer server;

    private FakeDockerDaemon(Path requestedSocket, String tcpHost, int tcpPort) {
        this.requestedSocket = requestedSocket;
        this.tcpHost = tcpHost;
        this.tcpPort = tcpPort;
    }

    /**
     * A daemon that will listen on a fresh temporary UNIX socket ({@code /tmp/fddNNN/docker.sock}).
     */
    public FakeDockerDaemon() {
        this(null, null, -1);
    }

    /**
     * A daemon that will listen on the UNIX socket {@code socketFile} (must not exist; keep it
     * under ~100 bytes).
     */
    public static FakeDockerDaemon onUnixSocket(Path socketFile) {
        return new FakeDockerDaemon(Objects.requireNonNull(socketFile, "socketFile"), null, -1);
    }

    /** A daemon that will listen on a free port of {@code 127.0.0.1}. */
    public static FakeDockerDaemon onTcp() {
        return onTcp("127.0.0.1", 0);
    }

    /** A daemon that will listen on {@code host:port} ({@code 0} picks a free port). */
    public static FakeDockerDaemon onTcp(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        return new FakeDockerDaemon(null, Objects.requireNonNull(host, "host"), port);
    }

    /**
     * A daemon for a {@code DOCKER_HOST}-style address: {@code unix:///path/docker.sock}, {@code
     * unix://} (a temp socket) or {@code tcp://127.0.0.1:0}.
     */
    public static FakeDockerDaemon listeningOn(String dockerHost) {
        if (dockerHost.equals("unix://")) {
            return new FakeDockerDaemon();
        }
        if (dockerHost.startsWith("unix://")) {
            return onUnixSocket(Path.of(dockerHost.substring("unix://".length())));
        }
        if (dockerHost.startsWith("tcp://")) {
            URI uri = URI.create("tcp://" + dockerHost.substring("tcp://".length()));
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException(
                        "expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:0; was " + dockerHost);
            }
            return onTcp(uri.getHost(), uri.getPort());
        }
        throw new IllegalArgumentException(
                "expected unix:///path/to/docker.sock or tcp://127.0.0.1:PORT, was " + dockerHost);
    }

    /** Binds and starts serving. Idempotent while running; a closed daemon cannot start again. */
    public synchronized FakeDockerDaemon start() throws IOException {
        if (state == State.STARTED) {
            return this;
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException(
                    "close() already called; create a new FakeDockerDaemon");
        }
        server =
                tcpHost != null
                        ? DaemonServer.onTcp(tcpHost, tcpPort, core)
                        : DaemonServer.onUnixSocket(requestedSocket, core);
        state = State.STARTED;
        return this;
    }

    /**
     * Stops serving, ends event streams and hijacks, closes connections and deletes the socket
     * file. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state == State.STARTED) {
            server.close();
        }
        state = State.CLOSED;
    }

    private synchronized DaemonServer running() {
        if (state == State.NEW) {
            throw new IllegalStateException("the daemon is not listening yet; call start() first");
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException(
                    "close() already called; create a new FakeDockerDaemon");
        }
        return server;
    }

    /** Whether the daemon listens on a UNIX socket (rather than TCP). */
    public boolean isUnixSocket() {
        return tcpHost == null;
    }

    /** The UNIX socket file; only for a daemon on a UNIX socket. */
    public Path socketPath() {
        DaemonServer s = running();
        if (s.socketFile() == null) {
            throw new IllegalStateException(
                    "this daemon listens on TCP; use port() or dockerHost(), "
                            + "or create it with new FakeDockerDaemon() for a UNIX socket");
        }
        return s.socketFile();
    }

    /** The TCP port; only for a daemon on TCP. */
    public int port() {
        DaemonServer s = running();
        if (s.socketFile() != null) {
            throw new IllegalStateException(
                    "this daemon listens on a UNIX socket; use socketPath() or dockerHost(), "
                            + "or create it with FakeDockerDaemon.onTcp() for a TCP port");
        }
        return s.port();
    }

    /**
     * The address in {@code DOCKER_HOST} form: {@code unix:///tmp/fdd123/docker.sock} or {@code
     * tcp://127.0.0.1:PORT}.
     */
    public String dockerHost() {
        DaemonServer s = running();
        return s.socketFile() != null
                ? "unix://" + s.socketFile()
                : "tcp://" + hostLiteral(s) + ":" + s.port();
    }

    /** An {@code http://} URL for {@code path} on a TCP daemon, for plain HTTP clients. */
    public URI url(String path) {
        int port = port();
        return URI.create(
                "http://"
                        + hostLiteral(running())
                        + ":"
                        + port
                        + (path.startsWith("/") ? path : "/" + path));
    }

    private static String hostLiteral(DaemonServer s) {
        String host = s.address().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Answers the next request, whatever it is, with {@code response} (before the dispatcher). */
    public void enqueue(FakeResponse response) {
        core.queue().add(Objects.requireNonNull(response, "response"));
    }

    /**
     * Answers the next {@code method} request for {@code path} with {@code response}. {@code path}
     * is canonical (any {@code /vX.Y} prefix matches) and {@code {name}} matches one segment:
     * {@code /exec/{id}/start}.
     */
    public void enqueue(String method, String path, FakeResponse response) {
        core.queue()
                .add(
                        Objects.requireNonNull(method, "method"),
                        path,
                        Objects.requireNonNull(response, "response"));
    }

    /** How many enqueued responses are still waiting for their request. */
    public int queuedResponseCount() {
        return core.queue().size();
    }

    /** Replaces the dispatcher that answers requests the queue does not. */
    public void setDispatcher(Dispatcher dispatcher) {
        core.dispatcher(dispatcher);
    }

    /** The current dispatcher. */
    public Dispatcher dispatcher() {
        return core.dispatcher();
    }

    /**
     * The oldest request not yet taken, waiting up to {@code timeout}; {@code null} if none arrived
     * in time.
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return core.journal().take(timeout);
    }

    /**
     * Every request that reached the daemon since start (or the last {@link #reset()}), in arrival
     * order.
     */
    public List<RecordedRequest> requests() {
        return core.journal().all();
    }

    /** How many requests reached the daemon since start (or the last {@link #reset()}). */
    public int requestCount() {
        return core.journal().all().size();
    }

    /**
     * The requests nothing answered: the queue had nothing and the dispatcher said {@code 404 page
     * not found}.
     */
    public List<RecordedRequest> unmatchedRequests() {
        return core.journal().unmatched();
    }

    /**
     * Problems on the daemon's side: malformed requests, failing hijack handlers or dispatchers.
     */
    public List<String> errors() {
        return core.errors();
    }

    /** Calls {@code listener} with each request as it is recorded (on the connection's thread). */
    public void addRequestListener(Consumer<RecordedRequest> listener) {
        core.journal().addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Forgets recorded requests, unmatched requests, errors and queued responses; restores the
     * default dispatcher.
     */
    public void reset() {
        core.journal().clear();
        core.queue().clear();
        core.clearErrors();
        core.dispatcher(new DockerEngineDispatcher());
    }

    /**
     * Sends one event (a JSON object, as the daemon writes them, e.g. {@code
     * {"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{}},"time":1700000000}})
     * to every open {@code /events} stream. Returns how many streams got it; use {@link
     * #awaitEventSubscribers} first.
     */
    public int pushEvent(String json) {
        running();
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "pushEvent expects one JSON object such as "
                            + "{\"Type\":\"container\",\"Action\":\"start\",...}; could not parse: "
                            + e.getMessage(),
                    e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("pushEvent expects one JSON object, got: " + json);
        }
        try {
            return core.events().publish(JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many {@code /events} streams are open now. */
    public int eventSubscriberCount() {
        return core.events().subscriberCount();
    }

    /**
     * Waits until at least {@code n} {@code /events} streams are open.
     *
     * @throws AssertionError if they are not within {@code timeout}
     */
    public void awaitEventSubscribers(int n, Duration timeout) throws InterruptedException {
        running();
        if (!core.events().awaitSubscribers(n, timeout)) {
            throw new AssertionError(
                    "expected "
                            + n
                            + " open /events stream(s) within "
                            + timeout
                            + " but "
                            + core.events().subscriberCount()
                            + " open; requests so far: "
                            + requests());
        }
    }

    @Override
    public synchronized String toString() {
        return "FakeDockerDaemon["
                + (state == State.STARTED ? dockerHost() : state.name().toLowerCase())
                + "]";
    }
}
