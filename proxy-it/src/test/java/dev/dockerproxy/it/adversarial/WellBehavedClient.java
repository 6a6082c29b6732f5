package dev.dockerproxy.it.adversarial;

import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client that keeps asking {@code GET /_ping} on its own connection while the fuzzer attacks the
 * proxy on others; every answer must be a 200 within a deadline. Reconnects when the proxy closes
 * an idle connection.
 */
final class WellBehavedClient implements AutoCloseable {

    private static final byte[] PING =
            ("GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: "
                            + FuzzRequests.WELL_BEHAVED_AGENT
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);

    private final SocketAddress address;
    private final long deadlineMillis;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    WellBehavedClient(SocketAddress address, long deadlineMillis) {
        this.address = address;
        this.deadlineMillis = deadlineMillis;
        this.thread = new Thread(this::run, "well-behaved-client");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (!stop.await(
                    20, TimeUnit.MILLISECONDS)) { // pace between pings, not a wait for a condition
                RawClient.Exchange r =
                        RawClient.exchange(address, PING, false, deadlineMillis, 65536, false);
                if (r.firstStatus() != 200 || r.timedOut()) {
                    failure.compareAndSet(
                            null,
                            "ping #"
                                    + (answered.get() + 1)
                                    + " got "
                                    + Escapes.show(r.bytes(), 200)
                                    + (r.timedOut()
                                            ? " (no answer within " + deadlineMillis + " ms)"
                                            : ""));
                    return;
                }
                answered.incrementAndGet();
            }
        } catch (IOException e) {
            failure.compareAndSet(null, "ping failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long answered() {
        return answered.get();
    }

    String failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(5_000);
    }
}
