package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that vanish in the middle of an exchange: an upload, a download, a hijacked session, an
 * idle {@code /events} stream. Each time the daemon must see its connection end within {@link
 * #PROMPTLY}, and after a burst of such failures the proxy's tasks, connections, threads and
 * descriptors must be back to the baseline. "Vanish" alternates between a reset (a killed process
 * with unread data) and a plain close.
 */
class ClientVanishesTest {

    static final Duration PROMPTLY = Duration.ofSeconds(3);
    private static final long BIG = 1L << 30;

    private static RawDaemon daemon;
    private static FaultProxy proxy;

    enum Kind {
        UPLOAD,
        UPLOAD_CHUNKED,
        DOWNLOAD,
        HIJACK,
        EVENTS
    }

    /** Vanishes before the daemon answered; not part of the burst (see its test). */
    private static final Kind[] BURST_KINDS = Kind.values();

    @BeforeAll
    static void start() throws IOException {
        daemon = RawDaemon.start();
        proxy = FaultProxy.start(daemon.socket());
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        daemon.close();
    }

    @Test
    void clientVanishingMidUploadReleasesTheUpstreamConnectionPromptly() throws Exception {
        assertReleasedPromptly(Kind.UPLOAD, "upload");
        assertReleasedPromptly(Kind.UPLOAD_CHUNKED, "upload");
    }

    @Test
    void clientVanishingMidDownloadReleasesTheUpstreamConnectionPromptly() throws Exception {
        assertReleasedPromptly(Kind.DOWNLOAD, "download");
    }

    @Test
    void clientVanishingMidHijackReleasesTheUpstreamConnectionPromptly() throws Exception {
        assertReleasedPromptly(Kind.HIJACK, "hijack");
    }

    @Test
    void clientVanishingFromAnIdleEventStreamReleasesTheUpstreamConnectionPromptly()
            throws Exception {
        assertReleasedPromptly(Kind.EVENTS, "events");
    }

    /**
     * A client that hangs up before a slow or never-answering daemon replies ({@code POST
     * /containers/{id}/wait}, a long build, a one-shot stats) must not keep its upstream connection
     * and proxy task until the daemon answers: when no head has arrived after a short delay the
     * proxy watches the client side (Forwarder).
     */
    @Test
    void clientVanishingBeforeTheDaemonAnswersReleasesTheUpstreamConnectionPromptly()
            throws Exception {
        long worst = 0;
        for (int i = 0; i < 2; i++) {
            daemon.clearEnds();
            RawClient c = proxy.connect();
            c.send(
                    "POST /v1.41/containers/c"
                            + i
                            + "/wait?condition=not-running HTTP/1.1\r\nHost: docker\r\n"
                            + "Content-Length: 0\r\n\r\n");
            awaitWaitRequests(i + 1);
            long vanished = System.nanoTime();
            if (i % 2 == 0) {
                c.abort();
            } else {
                c.close();
            }
            RawDaemon.End end = awaitExchangeEnd(PROMPTLY);
            worst = Math.max(worst, System.nanoTime() - vanished);
            assertThat(end.kind()).isEqualTo("wait");
        }
        FaultsReport.survived(
                "client vanishes before the daemon answers",
                "`docker wait`-like request the "
                        + "daemon never answers: daemon saw its connection end within "
                        + Duration.ofNanos(worst).toMillis()
                        + " ms (limit "
                        + PROMPTLY.toMillis()
                        + " ms), reset and close",
                Duration.ofNanos(worst));
    }

    private static void awaitWaitRequests(int n) {
        Poll.until(
                Duration.ofSeconds(5),
                "the request to reach the daemon",
                () -> daemon.waitRequests() >= n);
    }

    @Test
    void aBurstOfVanishingClientsLeavesNoThreadTaskConnectionOrDescriptorBehind() throws Exception {
        long t0 = System.nanoTime();
        daemon.clearEnds();
        for (Kind k : BURST_KINDS) { // warm-up: lazily created timers, classes, buffers
            vanish(k, 0);
            awaitExchangeEnd(PROMPTLY);
        }
        LeakProbe probe = proxy.probe(daemon);
        LeakProbe.Snapshot baseline = probe.settledBaseline(Duration.ofSeconds(10));
        daemon.clearEnds();

        int total = FaultSizes.BURST * BURST_KINDS.length;
        ExecutorService clients =
                Executors.newFixedThreadPool(
                        8,
                        r -> {
                            Thread t = new Thread(r, "vanishing-client");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < FaultSizes.BURST; i++) {
                for (Kind k : BURST_KINDS) {
                    int n = i;
                    done.add(
                            clients.submit(
                                    () -> {
                                        vanish(k, n);
                                        return null;
                                    }));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        Map<String, Integer> ends = new TreeMap<>();
        for (int i = 0; i < total; i++) {
            ends.merge(awaitExchangeEnd(Duration.ofSeconds(10)).kind(), 1, Integer::sum);
        }
        assertThat(ends)
                .containsEntry("upload", 2 * FaultSizes.BURST)
                .containsEntry("download", FaultSizes.BURST)
                .containsEntry("hijack", FaultSizes.BURST)
                .containsEntry("events", FaultSizes.BURST);
        LeakProbe.Snapshot after =
                probe.awaitBack(
                        "burst of " + total + " vanishing clients",
                        baseline,
                        Duration.ofSeconds(10));
        try (RawClient c = proxy.connect()) {
            assertThat(c.get("/v1.41/_ping").status()).isEqualTo(200);
        }
        FaultsReport.survived(
                "client vanishes (burst)",
                total
                        + " clients vanished mid-upload (CL and chunked), "
                        + "mid-download, mid-hijack, from idle /events; daemon saw every connection end; "
                        + baseline
                        + " → "
                        + after,
                LeakProbe.since(t0));
    }

    /**
     * The next end of a vanishing exchange. Connections that only pinged (the health check closing
     * each test, whose daemon side may report its end a moment later) end as {@code idle}; they are
     * not part of any count.
     */
    private static RawDaemon.End awaitExchangeEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RawDaemon.End end =
                    daemon.awaitEnd(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!end.kind().equals("idle") && !end.kind().equals("ping")) {
                return end;
            }
        }
    }

    private void assertReleasedPromptly(Kind kind, String daemonKind) throws Exception {
        long worst = 0;
        for (int i = 0; i < 4; i++) {
            daemon.clearEnds();
            long vanished = vanish(kind, i);
            RawDaemon.End end = awaitExchangeEnd(PROMPTLY);
            worst = Math.max(worst, System.nanoTime() - vanished);
            assertThat(end.kind()).isEqualTo(daemonKind);
            if (kind == Kind.UPLOAD || kind == Kind.UPLOAD_CHUNKED) {
                assertThat(end.how())
                        .as("the daemon sees the body cut, not completed")
                        .startsWith("error");
            }
        }
        try (RawClient c = proxy.connect()) {
            assertThat(c.get("/v1.41/_ping").status()).isEqualTo(200);
        }
        FaultsReport.survived(
                "client vanishes mid-" + kind.name().toLowerCase().replace('_', '-'),
                "daemon saw its connection end within "
                        + Duration.ofNanos(worst).toMillis()
                        + " ms (limit "
                        + PROMPTLY.toMillis()
                        + " ms), 4 times (reset and close)",
                Duration.ofNanos(worst));
    }

    /**
     * Starts an exchange of {@code kind}, gets it under way, then vanishes; returns when it
     * vanished.
     */
    private static long vanish(Kind kind, int n) throws IOException {
        long vanishedAt;
        RawClient c = proxy.connect();
        try {
            switch (kind) {
                case UPLOAD -> {
                    c.send(
                            "POST /v1.41/images/load HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                                    + "Content-Length: "
                                    + BIG
                                    + "\r\n\r\n");
                    c.out().write(new byte[256 * 1024]);
                    c.out().flush();
                }
                case UPLOAD_CHUNKED -> {
                    c.send(
                            "POST /v1.41/images/load HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n");
                    for (int i = 0; i < 16; i++) {
                        c.send("4000\r\n");
                        c.out().write(new byte[0x4000]);
                        c.send("\r\n");
                    }
                }
                case DOWNLOAD -> {
                    c.send(
                            "GET /v1.41/images/get?seed="
                                    + n
                                    + "&size="
                                    + BIG
                                    + " HTTP/1.1\r\nHost: docker\r\n\r\n");
                    assertThat(c.readHead().status()).isEqualTo(200);
                    c.in().readNBytes(256 * 1024);
                }
                case HIJACK -> {
                    c.send(
                            "POST /v1.41/exec/e"
                                    + n
                                    + "/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                                    + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 27\r\n\r\n"
                                    + "{\"Detach\":false,\"Tty\":true}");
                    assertThat(c.readHead().status()).isEqualTo(101);
                    c.send("ls -l\n");
                    assertThat(new String(c.in().readNBytes(6), StandardCharsets.US_ASCII))
                            .isEqualTo("ls -l\n");
                }
                case EVENTS -> {
                    c.send("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n");
                    assertThat(c.readHead().status()).isEqualTo(200);
                }
                default -> throw new AssertionError(kind);
            }
        } finally {
            vanishedAt = System.nanoTime();
            if (n % 2 == 0) {
                c.abort();
            } else {
                c.close();
            }
        }
        return vanishedAt;
    }
}
