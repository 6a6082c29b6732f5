package dev.dockerproxy.server;

import dev.dockerproxy.policy.Policy;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A fake upstream with a proxy in front of it, closed together. */
final class Harness implements AutoCloseable {

    final FakeUpstream upstream;
    final DockerSocketProxy proxy;

    private Harness(FakeUpstream upstream, DockerSocketProxy proxy) {
        this.upstream = upstream;
        this.proxy = proxy;
    }

    static Harness start(Policy policy, FakeUpstream.Script script) throws IOException {
        return start(policy, script, b -> b);
    }

    /** Proxy on an ephemeral loopback TCP port in front of a UNIX-socket fake daemon. */
    static Harness start(Policy policy, FakeUpstream.Script script, UnaryOperator<ProxyConfig.Builder> tweak)
            throws IOException {
        FakeUpstream upstream = FakeUpstream.unix(script);
        ProxyConfig.Builder b = ProxyConfig.builder()
                .listen(ListenAddress.tcp("127.0.0.1", 0))
                .upstream(upstream.address())
                .policy(policy)
                .gracefulCloseTimeout(Duration.ofSeconds(2));
        DockerSocketProxy proxy = new DockerSocketProxy(tweak.apply(b).build());
        try {
            proxy.start();
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
        return new Harness(upstream, proxy);
    }

    FakeUpstream upstream() {
        return upstream;
    }

    RawClient client() throws IOException {
        return RawClient.connect(proxy.boundAddress());
    }

    @Override
    public void close() throws IOException {
        proxy.closeImmediately();
        upstream.close();
    }

    /** Polls {@code condition} until true or {@code timeout} passes. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
