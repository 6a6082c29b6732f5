package dev.dockerproxy.cli;

import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the proxy for {@code serve}: checks the upstream, binds the listeners, prints the start-up
 * report, writes the access log, and blocks until stopped (SIGTERM runs a shutdown hook that closes
 * the proxy gracefully: no new connections, in-flight exchanges drain). SIGHUP re-reads the
 * configuration and swaps the policy; a configuration that does not load keeps the old policy.
 */
final class ProxyRunner {

    /**
     * A started proxy, handed to the start-up callback (tests use it to find the port and stop).
     */
    interface Running {
        /**
         * The bound listener addresses, ephemeral ports resolved, e.g. {@code
         * tcp://127.0.0.1:40123}.
         */
        List<String> boundAddresses();

        /** Closes the proxy gracefully and lets {@code serve} return 0. Idempotent. */
        void stop();

        /**
         * Re-reads the configuration, as SIGHUP does; returns whether the new policy was applied.
         */
        boolean reload();
    }

    private static final int UPSTREAM_PROBE_TIMEOUT_MS = 3000;

    private final ResolvedConfig config;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Consumer<Running> onStarted;
    private final Supplier<ResolvedConfig> reloadSource;

    /**
     * @param reloadSource re-resolves the configuration from the same flags and environment (the
     *     policy file is read again) when the proxy is asked to reload
     */
    ProxyRunner(
            ResolvedConfig config,
            Supplier<ResolvedConfig> reloadSource,
            PrintWriter out,
            PrintWriter err,
            Consumer<Running> onStarted) {
        this.config = config;
        this.reloadSource = reloadSource;
        this.out = out;
        this.err = err;
        this.onStarted = onStarted;
    }

    /** Serves until stopped; returns the exit code. */
    int run() throws InterruptedException {
        UpstreamAddress upstream = config.proxy().upstream();
        String unreachable = probe(upstream);
        if (unreachable != null) {
            err.println(
                    "docker-socket-proxy: upstream "
                            + upstream
                            + " is unreachable: "
                            + unreachable
                            + "; start the Docker daemon or point --upstream (or SOCKET_PATH) at its socket");
            err.flush();
            return ExitCodes.UPSTREAM;
        }
        AccessLog accessLog =
                new AccessLog(out, err, AccessLogFormat.of(config.logFormat()), config.logLevel());
        ProxyConfig proxyConfig = config.proxy().toBuilder().listener(accessLog).build();
        DockerSocketProxy proxy = new DockerSocketProxy(proxyConfig);
        try {
            proxy.start();
        } catch (IOException e) {
            accessLog.close();
            err.println(
                    "docker-socket-proxy: cannot listen: "
                            + Escaping.printable(e.getMessage())
                            + "; choose another address with --listen or stop what is using it");
            err.flush();
            return ExitCodes.LISTEN;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        // Runs once, on whichever thread stops the proxy first. On SIGTERM that is the shutdown
        // hook, and the
        // JVM halts when the hook returns, so the last line is printed here rather than after the
        // await below.
        Runnable finish =
                () -> {
                    if (finished.compareAndSet(false, true)) {
                        proxy.close();
                        accessLog.close();
                        out.println("docker-socket-proxy stopped");
                        out.flush();
                    }
                    stopped.countDown();
                };
        Thread hook = new Thread(finish, "docker-socket-proxy-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> bound = new ArrayList<>();
        proxy.boundAddresses().forEach(a -> bound.add(a.toString()));
        StartupReport.print(out, config, bound);
        out.flush();
        PolicyReloader reloader = new PolicyReloader(reloadSource, proxy, err);
        reloader.installSignalHandler();
        onStarted.accept(
                new Running() {
                    @Override
                    public List<String> boundAddresses() {
                        return List.copyOf(bound);
                    }

                    @Override
                    public void stop() {
                        try {
                            Runtime.getRuntime().removeShutdownHook(hook);
                        } catch (IllegalStateException shuttingDown) {
                            // the JVM is already running the hook
                        }
                        finish.run();
                    }

                    @Override
                    public boolean reload() {
                        return reloader.reload();
                    }
                });
        stopped.await();
        finish.run();
        return ExitCodes.OK;
    }

    /**
     * Connects once to the daemon; returns why it failed, or {@code null} when it answered the
     * connect.
     */
    private static String probe(UpstreamAddress upstream) {
        try {
            if (upstream.isUnix()) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(upstream.path()));
                }
            } else {
                try (Socket s = new Socket()) {
                    s.connect(
                            new InetSocketAddress(upstream.host(), upstream.port()),
                            UPSTREAM_PROBE_TIMEOUT_MS);
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
