package dev.dockerproxy.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testsupport.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/**
 * The sweeper that ends client reads outliving their timeout: reads block without a socket timeout,
 * and still time out on time, whatever the order in which deadlines are set.
 */
class ReadDeadlinesTest {

    @Test
    void aBlockedReadEndsWithSocketTimeoutExceptionAtItsTimeoutAndTheSocketCanStillBeWritten()
            throws Exception {
        try (Timer timer = new Timer();
                ReadDeadlines deadlines = new ReadDeadlines(timer.executor);
                Pair p = Pair.open()) {
            ClientInput input = new ClientInput(p.server, deadlines);
            input.setReadTimeout(200);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> input.read(new byte[16], 0, 16))
                    .isInstanceOf(SocketTimeoutException.class);
            long waited = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertThat(waited)
                    .as("ended at its timeout, not before, and promptly after")
                    .isBetween(190L, 1_500L);
            assertThatThrownBy(() -> input.read(new byte[16], 0, 16))
                    .as("after a timeout the input stays shut")
                    .isInstanceOf(SocketTimeoutException.class);
            p.server.getOutputStream().write("408".getBytes());
            p.server.getOutputStream().flush();
            assertThat(new String(p.client.getInputStream().readNBytes(3))).isEqualTo("408");
        }
    }

    @Test
    void aShortDeadlineSetWhileTheSweeperSleepsTowardsALongOneStillFiresOnTime() throws Exception {
        try (Timer timer = new Timer();
                ReadDeadlines deadlines = new ReadDeadlines(timer.executor);
                Pair idle = Pair.open();
                Pair hurried = Pair.open()) {
            ClientInput slow = new ClientInput(idle.server, deadlines);
            slow.setReadTimeout(60_000);
            Thread blocked =
                    new Thread(
                            () -> {
                                try {
                                    slow.read(new byte[16], 0, 16);
                                } catch (IOException expected) {
                                    // ends when the socket closes
                                }
                            });
            blocked.start();
            awaitRegistered(slow);
            ClientInput fast = new ClientInput(hurried.server, deadlines);
            fast.setDeadline(System.nanoTime() + Duration.ofMillis(150).toNanos());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> fast.read(new byte[16], 0, 16))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis())
                    .as("not delayed until the sweeper's next regular wake-up")
                    .isLessThan(900L);
            assertThat(slow.expiresAt()).as("the long read is untouched").isNotZero();
            idle.close();
            blocked.join(5_000);
            assertThat(blocked.isAlive()).isFalse();
        }
    }

    @Test
    void dataArrivingBeforeTheTimeoutIsReadNormally() throws Exception {
        try (Timer timer = new Timer();
                ReadDeadlines deadlines = new ReadDeadlines(timer.executor);
                Pair p = Pair.open()) {
            ClientInput input = new ClientInput(p.server, deadlines);
            input.setReadTimeout(5_000);
            OutputStream out = p.client.getOutputStream();
            out.write("GET".getBytes());
            out.flush();
            byte[] buf = new byte[3];
            assertThat(input.read(buf, 0, 3)).isEqualTo(3);
            assertThat(new String(buf)).isEqualTo("GET");
            assertThat(input.expiresAt()).as("no read in flight").isZero();
        }
    }

    /** A timer thread like the proxy's, stopped at the end of a test. */
    private static final class Timer implements AutoCloseable {
        final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    private static void awaitRegistered(ClientInput input) {
        Poll.until(Duration.ofSeconds(5), "the read to start", () -> input.expiresAt() != 0);
    }

    /** A connected loopback TCP pair. */
    private record Pair(Socket client, Socket server) implements AutoCloseable {
        static Pair open() throws IOException {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Socket c = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
                return new Pair(c, ss.accept());
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }
}
