package dev.dockerproxy.it;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The real proxy, started on TCP or a temp UNIX socket in front of the real engine. */
public final class ProxyUnderTest implements AutoCloseable {

    public enum Transport {
        TCP,
        UNIX
    }

    private final DockerSocketProxy proxy;

    private ProxyUnderTest(DockerSocketProxy proxy) {
        this.proxy = proxy;
    }

    public static ProxyUnderTest start(DockerEngine engine, Policy policy, Transport transport) {
        ListenAddress listen =
                transport == Transport.TCP
                        ? ListenAddress.tcp("127.0.0.1", 0)
                        : ListenAddress.unixTemp();
        ProxyConfig config =
                ProxyConfig.builder()
                        .listen(listen)
                        .upstream(UpstreamAddress.unix(engine.socketPath()))
                        .policy(policy)
                        .build();
        DockerSocketProxy proxy = new DockerSocketProxy(config);
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException("proxy did not start: " + e.getMessage(), e);
        }
        return new ProxyUnderTest(proxy);
    }

    /** {@code tcp://127.0.0.1:PORT} or {@code unix:///tmp/.../docker.sock}. */
    public String dockerHost() {
        return proxy.boundAddress().toString();
    }

    public DockerSocketProxy proxy() {
        return proxy;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
