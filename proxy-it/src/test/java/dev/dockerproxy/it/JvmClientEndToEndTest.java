package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.testsupport.DockerCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;

/**
 * A real JVM Docker client (Apache HttpClient 5.6 over its UNIX-domain-socket transport) lists
 * containers and follows events through the proxy's UNIX socket, with the read-only preset.
 */
@RequiresDockerEngine
class JvmClientEndToEndTest {

    @Test
    void listsContainersAndFollowsEventsThroughTheProxy(DockerEngine engine) throws Exception {
        try (ProxyUnderTest proxy =
                        ProxyUnderTest.start(
                                engine, Presets.get("read-only"), ProxyUnderTest.Transport.UNIX);
                CloseableHttpClient client =
                        HttpClients.custom()
                                .setDefaultRequestConfig(
                                        RequestConfig.custom()
                                                .setUnixDomainSocket(
                                                        proxy.proxy().boundAddress().path())
                                                .build())
                                .build()) {
            String list =
                    client.execute(
                            new HttpGet("http://docker/v1.41/containers/json?all=1"),
                            r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(list).startsWith("200 [");

            String denied =
                    client.execute(
                            new HttpPost("http://docker/v1.41/containers/create"),
                            r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(denied)
                    .startsWith("405 ")
                    .contains("\"message\"")
                    .contains("denied: POST /v1.41/containers/create");

            CompletableFuture<String> firstEvent = new CompletableFuture<>();
            String volume = "jvm-ev-" + System.nanoTime();
            Thread follower =
                    new Thread(
                            () -> {
                                try {
                                    client.execute(
                                            new HttpGet(
                                                    "http://docker/v1.41/events?filters=%7B%22type%22%3A%5B%22volume%22%5D%7D"),
                                            (ClassicHttpResponse r) -> {
                                                BufferedReader lines =
                                                        new BufferedReader(
                                                                new InputStreamReader(
                                                                        r.getEntity().getContent(),
                                                                        StandardCharsets.UTF_8));
                                                firstEvent.complete(
                                                        r.getCode() + " " + lines.readLine());
                                                return null;
                                            });
                                } catch (Exception e) {
                                    firstEvent.completeExceptionally(e);
                                }
                            },
                            "events-follower");
            follower.setDaemon(true);
            follower.start();
            DockerCli direct = DockerCli.on(engine.dockerHost());
            // events are only delivered to subscribed streams: retry creating until one arrives
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int n = 0;
            try {
                while (!firstEvent.isDone() && System.nanoTime() < deadline) {
                    direct.run("volume", "create", volume + "-" + n++).requireSuccess();
                    try {
                        firstEvent.get(500, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException ignored) {
                        // not yet subscribed; create another
                    }
                }
                assertThat(firstEvent.get(1, TimeUnit.SECONDS))
                        .startsWith("200 {")
                        .contains("\"Type\":\"volume\"")
                        .contains(volume);
            } finally {
                for (int i = 0; i < n; i++) {
                    direct.run("volume", "rm", volume + "-" + i);
                }
            }
        }
    }
}
