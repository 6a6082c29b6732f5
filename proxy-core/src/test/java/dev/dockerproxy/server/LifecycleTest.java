package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.Poll;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final String PONG = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK";

    private static ProxyConfig.Builder config(FakeUpstream upstream) {
        return ProxyConfig.builder()
                .listen(ListenAddress.tcp("127.0.0.1", 0))
                .upstream(Harness.upstreamAddress(upstream))
                .policy(TestPolicies.readOnly());
    }

    @Test
    void startAndCloseAreIdempotentAndLifecycleErrorsSayWhatToDo() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(PONG))) {
            DockerSocketProxy proxy = new DockerSocketProxy(config(upstream).build());
            assertThatThrownBy(proxy::boundAddresses)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call start() first");

            proxy.start();
            List<ListenAddress> bound = proxy.boundAddresses();
            proxy.start();
            assertThat(proxy.boundAddresses()).isEqualTo(bound);
            assertThat(bound.get(0).port()).isPositive();
            assertThat(proxy.isRunning()).isTrue();

            proxy.close();
            proxy.close();
            proxy.closeImmediately();
            assertThat(proxy.isRunning()).isFalse();
            assertThatThrownBy(proxy::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("create a new DockerSocketProxy");
            assertThatThrownBy(() -> Harness.connect(bound.get(0)))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void gracefulCloseLetsTheInFlightExchangeFinishAndClosesIdleConnections() throws Exception {
        CountDownLatch requestSeen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeUpstream.Script slow =
                conn -> {
                    conn.readRequest();
                    requestSeen.countDown();
                    release.await();
                    conn.write(PONG);
                };
        try (FakeUpstream upstream = FakeUpstream.unix(slow)) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(
                                    config(upstream)
                                            .gracefulCloseTimeout(Duration.ofSeconds(10))
                                            .build())
                            .start();
            RawClient busy = Harness.connect(proxy.boundAddress());
            RawClient idle = Harness.connect(proxy.boundAddress());
            busy.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(requestSeen.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Poll.eventually(Duration.ofSeconds(5), () -> proxy.activeConnections() == 2))
                    .isTrue();

            CompletableFuture<Void> closing =
                    CompletableFuture.runAsync(
                            proxy::close, r -> new Thread(r, "test-close").start());
            assertThat(idle.closedWithin(Duration.ofSeconds(5)))
                    .as("idle connection closed")
                    .isTrue();
            assertThat(closing).isNotDone();
            release.countDown();

            RawClient.Response r = busy.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("OK");
            assertThat(r.header("Connection")).isEqualTo("close");
            closing.get(5, TimeUnit.SECONDS);
            assertThat(busy.closedWithin(Duration.ofSeconds(5))).isTrue();
            busy.close();
            idle.close();
        }
    }

    @Test
    void gracefulCloseCutsANeverEndingStreamAtItsDeadline() throws Exception {
        FakeUpstream.Script endless =
                conn -> {
                    conn.readRequest();
                    conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
                    conn.awaitEof(Duration.ofSeconds(30));
                };
        try (FakeUpstream upstream = FakeUpstream.unix(endless)) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(
                                    config(upstream)
                                            .gracefulCloseTimeout(Duration.ofMillis(200))
                                            .build())
                            .start();
            try (RawClient c = Harness.connect(proxy.boundAddress())) {
                c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
                c.reader().readHead();
                assertThat(c.reader().readChunk()).containsExactly('a');
                FakeUpstream.Conn daemonSide = upstream.awaitConnection(Duration.ofSeconds(5));

                long t0 = System.nanoTime();
                proxy.close();
                assertThat(Duration.ofNanos(System.nanoTime() - t0))
                        .isLessThan(Duration.ofSeconds(5));
                assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
                assertThat(daemonSide.awaitEof(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    void immediateCloseEndsEveryConnectionAtOnce() throws Exception {
        FakeUpstream.Script endless =
                conn -> {
                    conn.readRequest();
                    conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
                    conn.awaitEof(Duration.ofSeconds(30));
                };
        try (FakeUpstream upstream = FakeUpstream.unix(endless)) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(
                                    config(upstream)
                                            .gracefulCloseTimeout(Duration.ofSeconds(30))
                                            .build())
                            .start();
            try (RawClient c = Harness.connect(proxy.boundAddress())) {
                c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
                c.reader().readHead();
                c.reader().readChunk();

                long t0 = System.nanoTime();
                proxy.closeImmediately();
                assertThat(Duration.ofNanos(System.nanoTime() - t0))
                        .isLessThan(Duration.ofSeconds(3));
                assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
                assertThat(proxy.activeConnections()).isZero();
            }
        }
    }

    @Test
    void failedStartReleasesWhatItBoundAndNamesTheAddress() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(PONG));
                DockerSocketProxy first = new DockerSocketProxy(config(upstream).build()).start()) {
            int taken = first.boundAddress().port();
            DockerSocketProxy second =
                    new DockerSocketProxy(
                            config(upstream)
                                    .listeners(
                                            List.of(
                                                    ListenAddress.unixTemp(),
                                                    ListenAddress.tcp("127.0.0.1", taken)))
                                    .build());

            assertThatThrownBy(second::start)
                    .isInstanceOf(java.net.BindException.class)
                    .hasMessageContaining("127.0.0.1:" + taken)
                    .hasMessageContaining("choose another port");
            assertThat(second.isRunning()).isFalse();
        }
    }

    @Test
    void configuredExecutorRunsTheConnections() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks =
                new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newCachedThreadPool();
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(PONG));
                DockerSocketProxy proxy =
                        new DockerSocketProxy(
                                        config(upstream)
                                                .executor(
                                                        r -> {
                                                            tasks.incrementAndGet();
                                                            pool.execute(r);
                                                        })
                                                .build())
                                .start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            assertThat(tasks.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connectionThreadsAreVirtualExactlyWhenTheJvmHasThem() throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        ProxyListener capture =
                new ProxyListener() {
                    @Override
                    public void decisionMade(
                            dev.dockerproxy.policy.ClientIdentity client,
                            String method,
                            String rawTarget,
                            dev.dockerproxy.policy.Decision decision,
                            long nanos) {
                        thread.complete(Thread.currentThread());
                    }
                };
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(PONG));
                DockerSocketProxy proxy =
                        new DockerSocketProxy(config(upstream).listener(capture).build()).start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
            Thread t = thread.get(5, TimeUnit.SECONDS);
            boolean virtual = isVirtual(t);
            assertThat(virtual).isEqualTo(Runtime.version().feature() >= 21);
        }
    }

    private static boolean isVirtual(Thread t) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    @Test
    void closedClientConnectionIsReportedWithByteCounts() throws Exception {
        CompletableFuture<long[]> closed = new CompletableFuture<>();
        CompletableFuture<Exchange> exchange = new CompletableFuture<>();
        ProxyListener listener =
                new ProxyListener() {
                    @Override
                    public void exchangeCompleted(Exchange e) {
                        exchange.complete(e);
                    }

                    @Override
                    public void connectionClosed(
                            dev.dockerproxy.policy.ClientIdentity client, long in, long out) {
                        closed.complete(new long[] {in, out});
                    }
                };
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(PONG));
                DockerSocketProxy proxy =
                        new DockerSocketProxy(config(upstream).listener(listener).build())
                                .start()) {
            String request = "GET /v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n";
            try (RawClient c = Harness.connect(proxy.boundAddress())) {
                c.send(request).readResponse();
            }
            Exchange e = exchange.get(5, TimeUnit.SECONDS);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.target()).isEqualTo("/v1.41/_ping");
            assertThat(e.endpointId()).isEqualTo("system.ping");
            assertThat(e.bytesOut()).isEqualTo(2);
            assertThat(e.client().transport()).isEqualTo("tcp");
            long[] bytes = closed.get(5, TimeUnit.SECONDS);
            assertThat(bytes[0]).isEqualTo(request.length());
            assertThat(bytes[1]).isGreaterThan(2);
        } catch (IOException e) {
            throw e;
        }
    }
}
