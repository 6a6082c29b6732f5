package dev.dockerproxy.examples;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Embeds a read-only Docker socket proxy and talks to it with the JDK's HTTP client.
 *
 * <p>The proxy listens on an ephemeral loopback port and forwards to the daemon named by
 * {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}). Reads pass; a write
 * ({@code POST /containers/create}) is answered by the proxy with a 403 in Docker's error shape and
 * never reaches the daemon.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.dockerproxy.examples.EmbeddedReadOnlyProxy
 * </pre>
 */
public final class EmbeddedReadOnlyProxy {

    /** What the example saw: status codes and bodies of the three calls. */
    public record Result(int pingStatus, String pingBody, int listStatus, String listBody, int createStatus,
                         String createBody) {
    }

    private EmbeddedReadOnlyProxy() {
    }

    public static void main(String[] args) throws Exception {
        run(UpstreamAddress.fromEnvironment(System.getenv()), System.out);
    }

    /** Starts the proxy in front of {@code daemon}, makes three calls through it, prints and returns them. */
    public static Result run(UpstreamAddress daemon, PrintStream out) throws IOException, InterruptedException {
        ProxyConfig config = ProxyConfig.builder()
                .listen(ListenAddress.tcp("127.0.0.1", 0))
                .upstream(daemon)
                .policy(Presets.get("read-only"))
                .build();
        try (DockerSocketProxy proxy = new DockerSocketProxy(config).start()) {
            URI base = proxy.boundAddress().toUri();
            out.println("read-only proxy for " + daemon + " listening on " + base);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> ping = http.send(HttpRequest.newBuilder(base.resolve("/_ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println("GET /_ping -> " + ping.statusCode() + " " + ping.body()
                    + " (API " + ping.headers().firstValue("Api-Version").orElse("?") + ")");

            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/v1.41/containers/json"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            out.println("GET /v1.41/containers/json -> " + list.statusCode() + " " + list.body());

            HttpResponse<String> create = http.send(HttpRequest.newBuilder(base.resolve("/v1.41/containers/create"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Image\":\"busybox\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println("POST /v1.41/containers/create -> " + create.statusCode() + " " + create.body());

            return new Result(ping.statusCode(), ping.body(), list.statusCode(), list.body(),
                    create.statusCode(), create.body());
        }
    }
}
