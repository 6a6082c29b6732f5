package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: hundreds of connections trickle a request head one byte every 100 ms and never finish
 * it. The header-read timeout (a total budget for the head, not per read) must cut every one of
 * them, while a well-behaved client on another connection is served normally the whole time.
 */
class SlowlorisTest {

    private static final int SLOW = Integer.getInteger("dockerproxy.faults.slowloris", 500);
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CUT_WITHIN = HEADER_TIMEOUT.plusSeconds(2);
    private static final byte[] HEAD =
            ("GET /v1.41/_ping HTTP/1.1\r\nHost: docker\r\nX-Slow: " + "a".repeat(4000))
                    .getBytes(StandardCharsets.US_ASCII);

    @Test
    void slowHeadsAreCutByTheHeaderTimeoutWhileAnotherClientIsServedNormally() throws Exception {
        long t0 = System.nanoTime();
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start();
                FaultProxy proxy =
                        FaultProxy.start(
                                daemon.socketPath(), b -> b.headerReadTimeout(HEADER_TIMEOUT));
                RawClient normal = proxy.connect()) {
            assertThat(normal.get("/v1.41/_ping").status()).isEqualTo(200);
            List<RawClient> slow = new ArrayList<>();
            for (int i = 0; i < SLOW; i++) {
                slow.add(proxy.connect());
            }
            long started = System.nanoTime();
            AtomicBoolean trickling = new AtomicBoolean(true);
            Thread trickler = new Thread(() -> trickle(slow, trickling), "slowloris");
            trickler.setDaemon(true);
            trickler.start();

            long worstNormal = 0;
            int served = 0;
            long deadline = started + CUT_WITHIN.toNanos();
            while (cut(proxy) < SLOW && System.nanoTime() < deadline) {
                long t = System.nanoTime();
                RawClient.Response r = normal.get("/v1.41/_ping");
                assertThat(r.status()).isEqualTo(200);
                worstNormal = Math.max(worstNormal, System.nanoTime() - t);
                served++;
            }
            long allCut = System.nanoTime() - started;
            trickling.set(false);
            trickler.join(5000);

            assertThat(cut(proxy))
                    .as("slow heads answered 408 by the proxy within " + CUT_WITHIN)
                    .isEqualTo(SLOW);
            assertThat(Duration.ofNanos(allCut))
                    .isGreaterThanOrEqualTo(HEADER_TIMEOUT.minusMillis(50));
            int answered408 = 0;
            for (RawClient c : slow) {
                c.timeout(Duration.ofSeconds(2));
                try {
                    String status = new String(c.in().readNBytes(12), StandardCharsets.US_ASCII);
                    if (status.equals("HTTP/1.1 408")) {
                        answered408++;
                    }
                    assertThat(c.in().readAllBytes()).isNotNull(); // then EOF: the proxy closed it
                } catch (IOException reset) {
                    // our trickled byte crossed the proxy's close: a reset is also a cut
                }
                c.abort();
            }
            assertThat(served)
                    .as("the normal client was served while the slow heads trickled")
                    .isGreaterThan(0);
            assertThat(Duration.ofNanos(worstNormal))
                    .as("worst latency of the normal client")
                    .isLessThan(Duration.ofMillis(500));
            Poll.eventually(Duration.ofSeconds(5), () -> proxy.proxy.activeConnections() <= 1);
            assertThat(proxy.proxy.activeConnections()).isEqualTo(1);
            assertThat(normal.get("/v1.41/_ping").status()).isEqualTo(200);
            FaultsReport.survived(
                    "slowloris heads",
                    SLOW
                            + " heads trickled 1 byte/100 ms; all cut by the "
                            + HEADER_TIMEOUT.toMillis()
                            + " ms header timeout within "
                            + Duration.ofNanos(allCut).toMillis()
                            + " ms ("
                            + answered408
                            + " clients read the 408, the rest a reset); normal client: "
                            + served
                            + " requests meanwhile, worst latency "
                            + Duration.ofNanos(worstNormal).toMillis()
                            + " ms",
                    LeakProbe.since(t0));
        }
    }

    private static long cut(FaultProxy proxy) {
        return proxy.clientErrors.stream().filter(e -> e.startsWith("408 ")).count();
    }

    /** One byte to every still-open slow connection, every 100 ms, until told to stop. */
    private static void trickle(List<RawClient> slow, AtomicBoolean trickling) {
        boolean[] done = new boolean[slow.size()];
        for (int pos = 0; trickling.get() && pos < HEAD.length; pos++) {
            for (int i = 0; i < slow.size(); i++) {
                if (done[i]) {
                    continue;
                }
                try {
                    InputStream in = slow.get(i).in();
                    if (in.available() > 0) {
                        done[i] = true; // the proxy answered: stop writing into its close
                        continue;
                    }
                    slow.get(i).out().write(HEAD[pos]);
                    slow.get(i).out().flush();
                } catch (IOException e) {
                    done[i] = true;
                }
            }
            try {
                Thread.sleep(100); // the trickle rate is the attack, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
