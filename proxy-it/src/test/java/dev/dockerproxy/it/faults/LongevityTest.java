package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testkit.DockerEngineDispatcher;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.HijackHandler;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An {@code /events} stream and an idle {@code exec -it}-like hijacked session stay open through a
 * quiet period ({@code -Ddockerproxy.longevity.quiet}, default {@code PT2M}; the long profile uses
 * {@code PT1H}) and then still deliver the next event and echo the next keystroke. The proxy runs
 * with short idle (5 s) and header (2 s) timeouts, so the quiet period outlasts every timer the
 * proxy has many times over. The two sessions wait out the quiet period in parallel.
 */
class LongevityTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void eventStreamAndIdleExecSessionSurviveTheQuietPeriodAndDeliverTheNextEventAndKeystroke()
            throws Exception {
        Duration quiet = FaultSizes.QUIET;
        long t0 = System.nanoTime();
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start();
                FaultProxy proxy =
                        FaultProxy.start(
                                daemon.socketPath(),
                                b ->
                                        b.idleTimeout(IDLE_TIMEOUT)
                                                .headerReadTimeout(Duration.ofSeconds(2)));
                RawClient events = proxy.connect();
                RawClient exec = proxy.connect()) {
            daemon.setDispatcher(
                    DockerEngineDispatcher.builder()
                            .route(
                                    "POST",
                                    "/exec/{id}/start",
                                    FakeResponse.hijack(HijackHandler.echo()))
                            .build());
            events.send("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n");
            assertThat(events.readHead().status()).isEqualTo(200);
            daemon.awaitEventSubscribers(1, Duration.ofSeconds(10));
            exec.send(
                    "POST /v1.41/exec/e1/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 27\r\n\r\n{\"Detach\":false,\"Tty\":true}");
            assertThat(exec.readHead().status()).isEqualTo(101);
            exec.send("echo first\n");
            assertThat(new String(exec.in().readNBytes(11), StandardCharsets.US_ASCII))
                    .isEqualTo("echo first\n");

            long quietStart = System.nanoTime();
            ExecutorService watchers =
                    Executors.newFixedThreadPool(2); // both periods run at the same time
            try {
                Future<String> eventsQuiet = watchers.submit(() -> nothingHappens(events, quiet));
                Future<String> execQuiet = watchers.submit(() -> nothingHappens(exec, quiet));
                assertThat(eventsQuiet.get())
                        .as("/events stream during the quiet period")
                        .isEqualTo("quiet");
                assertThat(execQuiet.get())
                        .as("exec session during the quiet period")
                        .isEqualTo("quiet");
            } finally {
                watchers.shutdownNow();
            }
            Duration waited = LeakProbe.since(quietStart);
            assertThat(waited)
                    .as("the two sessions wait out one quiet period together")
                    .isLessThan(quiet.plusSeconds(10));
            assertThat(proxy.proxy.activeConnections()).isEqualTo(2);

            events.timeout(Duration.ofSeconds(10));
            exec.timeout(Duration.ofSeconds(10));
            assertThat(
                            daemon.pushEvent(
                                    "{\"Type\":\"container\",\"Action\":\"die\",\"id\":\"after-quiet\"}"))
                    .isEqualTo(1);
            assertThat(new String(events.readChunk(), StandardCharsets.UTF_8))
                    .contains("after-quiet");
            exec.send("x");
            assertThat(exec.in().read()).as("the next keystroke is echoed").isEqualTo('x');
            FaultsReport.survived(
                    "longevity (quiet " + quiet + ")",
                    "/events stream and idle hijacked exec "
                            + "session open "
                            + waited.toSeconds()
                            + " s with nothing on the wire (proxy idle timeout "
                            + IDLE_TIMEOUT.toSeconds()
                            + " s); then the next event and keystroke arrived",
                    LeakProbe.since(t0));
        }
    }

    /**
     * Waits out {@code quiet} on a silent connection: the read must time out at the end of the
     * period. Data or end of stream before that is what must not happen; returns "quiet" or what
     * happened instead.
     */
    private static String nothingHappens(RawClient c, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return "quiet";
                }
                c.timeout(
                        Duration.ofMillis(
                                Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000))));
                try {
                    int b = c.in().read();
                    return b < 0
                            ? "closed after " + LeakProbe.since(deadline - quiet.toNanos())
                            : "unexpected byte " + b;
                } catch (SocketTimeoutException expected) {
                    // the period (or this slice of it) passed with nothing on the wire
                }
            }
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
