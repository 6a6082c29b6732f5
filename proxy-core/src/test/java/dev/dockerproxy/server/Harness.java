package dev.dockerproxy.server;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A fake upstream with a proxy in front of it, closed together; and the adapters between their
 * address types.
 */
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
    static Harness start(
            Policy policy, FakeUpstream.Script script, UnaryOperator<ProxyConfig.Builder> tweak)
            throws IOException {
        FakeUpstream upstream = FakeUpstream.unix(script);
        ProxyConfig.Builder b =
                ProxyConfig.builder()
                        .listen(ListenAddress.tcp("127.0.0.1", 0))
                        .upstream(upstreamAddress(upstream))
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
        return connect(proxy.boundAddress());
    }

    @Override
    public void close() throws IOException {
        proxy.closeImmediately();
        upstream.close();
    }

    /** A raw client connected to a proxy listener, TCP or UNIX. */
    static RawClient connect(ListenAddress address) throws IOException {
        return address.kind() == ListenAddress.Kind.UNIX
                ? RawClient.unix(address.path())
                : RawClient.tcp(address.host(), address.port());
    }

    /** Where the proxy finds {@code upstream}. */
    static UpstreamAddress upstreamAddress(FakeUpstream upstream) {
        return upstream.isUnix()
                ? UpstreamAddress.unix(upstream.socketPath())
                : UpstreamAddress.tcp("127.0.0.1", upstream.port());
    }
}
