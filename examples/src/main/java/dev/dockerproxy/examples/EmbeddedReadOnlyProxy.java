package dev.dockerproxy.examples;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Embeds a read-only Docker socket proxy in a JVM program: every read endpoint passes, everything
 * else gets a 403 with the reason, before it reaches the daemon.
 *
 * <pre>
 * java ... dev.dockerproxy.examples.EmbeddedReadOnlyProxy /var/run/docker.sock 2375
 * read-only docker proxy listening on tcp://127.0.0.1:2375 (upstream unix:///var/run/docker.sock)
 * DOCKER_HOST=tcp://127.0.0.1:2375 docker ps       # works
 * DOCKER_HOST=tcp://127.0.0.1:2375 docker run ...  # Error response from daemon: denied: POST ... containers.create ...
 * </pre>
 */
public final class EmbeddedReadOnlyProxy {
    private EmbeddedReadOnlyProxy() {}

    public static void main(String[] args) throws Exception {
        DockerSocketProxy proxy;
        try {
            proxy = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    proxy.close(); // graceful: lets in-flight requests finish
                                    stopped.countDown();
                                },
                                "proxy-shutdown"));
        stopped.await(); // runs until killed (SIGTERM / Ctrl-C)
    }

    /**
     * Starts the proxy for {@code args} = {@code UPSTREAM_SOCKET LISTEN_PORT} ({@code 0} picks a
     * free port) on {@code 127.0.0.1} and prints the address clients use to {@code out}. The caller
     * closes the proxy.
     *
     * @throws IllegalArgumentException with a usage line when the arguments are wrong
     */
    public static DockerSocketProxy start(String[] args, PrintStream out) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: EmbeddedReadOnlyProxy UPSTREAM_SOCKET LISTEN_PORT "
                            + "(e.g. /var/run/docker.sock 2375; port 0 picks a free one)");
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "LISTEN_PORT must be a number 0..65535, was '" + args[1] + "'");
        }
        ProxyConfig config =
                ProxyConfig.builder()
                        .listen(ListenAddress.tcp("127.0.0.1", port))
                        .upstream(UpstreamAddress.unix(Path.of(args[0])))
                        .policy(Presets.get("read-only"))
                        .build();
        DockerSocketProxy proxy = new DockerSocketProxy(config).start();
        out.println(
                "read-only docker proxy listening on "
                        + proxy.boundAddress()
                        + " (upstream "
                        + config.upstream()
                        + ")");
        return proxy;
    }
}
