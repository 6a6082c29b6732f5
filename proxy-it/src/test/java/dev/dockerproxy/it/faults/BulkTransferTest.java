package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk bytes through the proxy: a {@link FaultSizes#BULK_BYTES} upload ({@code POST /images/load})
 * and download ({@code GET /images/get}) arrive byte-exact (SHA-256 of what was sent against
 * SHA-256 of what arrived), generated on the fly from a seeded PRNG; and a client that stops
 * reading a large download does not make the proxy buffer: the daemon is held back by backpressure
 * and the heap stays flat.
 */
class BulkTransferTest {

    /**
     * How far the daemon may get ahead of a stalled reader: kernel socket buffers on both legs, not
     * heap.
     */
    static final long STALL_AHEAD_BOUND = 32L << 20;

    /** Heap growth allowed while a reader is stalled (after GC). */
    static final long STALL_HEAP_BOUND = 16L << 20;

    private static RawDaemon daemon;
    private static FaultProxy proxy;

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
    void gibibyteUploadArrivesAtTheDaemonByteExact() throws Exception {
        long size = FaultSizes.BULK_BYTES;
        long t0 = System.nanoTime();
        PrngStream data = new PrngStream(42, size);
        try (RawClient c = proxy.connect()) {
            c.timeout(Duration.ofMinutes(5));
            c.send(
                    "POST /v1.41/images/load?quiet=1 HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                            + "Content-Length: "
                            + size
                            + "\r\n\r\n");
            OutputStream out = c.out();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = data.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
            }
            out.flush();
            RawClient.Response r = c.readResponse();
            String sent = data.sha256Hex();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText())
                    .isEqualTo("{\"bytes\":" + size + ",\"sha256\":\"" + sent + "\"}");
            assertThat(daemon.awaitResult(Duration.ofSeconds(10)))
                    .isEqualTo("upload " + size + " " + sent);
            assertThat(c.get("/v1.41/_ping").status())
                    .as("the connection is reusable afterwards")
                    .isEqualTo(200);
        }
        Duration took = LeakProbe.since(t0);
        FaultsReport.survived(
                "upload " + (size >> 20) + " MiB",
                "byte-exact (SHA-256 " + data.sha256HexShort() + "…), " + rate(size, took),
                took);
    }

    @Test
    void gibibyteDownloadArrivesAtTheClientByteExact() throws Exception {
        long size = FaultSizes.BULK_BYTES;
        long t0 = System.nanoTime();
        try (RawClient c = proxy.connect()) {
            c.timeout(Duration.ofMinutes(5));
            c.send(
                    "GET /v1.41/images/get?names=big&seed=7&size="
                            + size
                            + " HTTP/1.1\r\nHost: docker\r\n\r\n");
            RawClient.Head head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Long.toString(size));
            String received = readHashed(c.in(), size);
            String sent = daemon.awaitResult(Duration.ofSeconds(10));
            assertThat("download " + size + " " + received).isEqualTo(sent);
            assertThat(c.get("/v1.41/_ping").status())
                    .as("the connection is reusable afterwards")
                    .isEqualTo(200);
            Duration took = LeakProbe.since(t0);
            FaultsReport.survived(
                    "download " + (size >> 20) + " MiB",
                    "byte-exact (SHA-256 " + received.substring(0, 12) + "…), " + rate(size, took),
                    took);
        }
    }

    @Test
    void stalledReaderHoldsTheDaemonBackInsteadOfMakingTheProxyBuffer() throws Exception {
        long size = 256L << 20;
        long t0 = System.nanoTime();
        long heap0 = LeakProbe.heapUsedAfterGc();
        try (RawClient c = proxy.connect()) {
            c.timeout(Duration.ofMinutes(2));
            c.send(
                    "GET /v1.41/images/get?names=big&seed=9&size="
                            + size
                            + " HTTP/1.1\r\nHost: docker\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            MessageDigest sha = PrngStream.sha256();
            byte[] first = c.in().readNBytes(1 << 20);
            sha.update(first);

            long written = awaitStable(Duration.ofSeconds(30));
            long ahead = written - first.length;
            long heap1 = LeakProbe.heapUsedAfterGc();
            assertThat(ahead)
                    .as("bytes the daemon got ahead of the stalled reader")
                    .isLessThan(STALL_AHEAD_BOUND);
            assertThat(written).as("the daemon is blocked, far from done").isLessThan(size);
            assertThat(heap1 - heap0)
                    .as("heap growth while the reader is stalled")
                    .isLessThan(STALL_HEAP_BOUND);

            String rest = readHashed(c.in(), size - first.length, sha);
            assertThat("download " + size + " " + rest)
                    .as("the stream resumes byte-exact")
                    .isEqualTo(daemon.awaitResult(Duration.ofSeconds(10)));
            FaultsReport.survived(
                    "stalled reader",
                    "client stopped after 1 MiB of "
                            + (size >> 20)
                            + " MiB; daemon "
                            + "blocked at "
                            + LeakProbe.mib(written)
                            + " written ("
                            + LeakProbe.mib(ahead)
                            + " ahead, bound "
                            + LeakProbe.mib(STALL_AHEAD_BOUND)
                            + "); heap "
                            + LeakProbe.mib(heap0)
                            + " → "
                            + LeakProbe.mib(heap1)
                            + " (bound +"
                            + LeakProbe.mib(STALL_HEAP_BOUND)
                            + "); stream resumed "
                            + "byte-exact",
                    LeakProbe.since(t0));
        }
    }

    /**
     * Waits until the daemon's written count stops moving for a second: it is blocked by
     * backpressure.
     */
    private static long awaitStable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = daemon.downloadWritten();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(1).toNanos()) {
                return now;
            }
            Poll.pause();
        }
        throw new AssertionError(
                "the daemon kept writing to a stalled reader for "
                        + timeout
                        + ": "
                        + LeakProbe.mib(daemon.downloadWritten())
                        + " written; the proxy is buffering");
    }

    private static String readHashed(InputStream in, long size) throws IOException {
        return readHashed(in, size, PrngStream.sha256());
    }

    private static String readHashed(InputStream in, long size, MessageDigest sha)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(
                        "download ended after " + (size - left) + " of " + size + " bytes");
            }
            sha.update(buf, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String rate(long bytes, Duration took) {
        return String.format(
                "%.0f MiB/s", bytes / 1024.0 / 1024.0 / Math.max(0.001, took.toMillis() / 1000.0));
    }
}
