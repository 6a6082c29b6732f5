package dev.dockerproxy.it.adversarial;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.ProxyListener;
import dev.dockerproxy.server.UpstreamAddress;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real proxy (TCP and UNIX listeners) in front of the test kit's recording daemon, with a listener
 * that counts connections so a test can wait until the proxy has finished with a client before reading
 * the daemon's journal.
 */
final class ProxyRig implements AutoCloseable {

    final FakeDockerDaemon daemon;
    final DockerSocketProxy proxy;
    final Policy policy;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final Object lock = new Object();

    ProxyRig(Policy policy, Duration headerTimeout, long maxBody) throws IOException {
        this.policy = policy;
        this.daemon = new FakeDockerDaemon().start();
        ProxyListener counting = new ProxyListener() {
            @Override
            public void connectionOpened(ClientIdentity client, ListenAddress listener) {
                opened.incrementAndGet();
            }

            @Override
            public void connectionClosed(ClientIdentity client, long in, long out) {
                closed.incrementAndGet();
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        };
        ProxyConfig config = ProxyConfig.builder()
                .listen(ListenAddress.tcp("127.0.0.1", 0))
                .listen(ListenAddress.unixTemp())
                .upstream(UpstreamAddress.unix(daemon.socketPath()))
                .policy(policy)
                .headerReadTimeout(headerTimeout)
                .idleTimeout(headerTimeout)
                .maxRequestBody(maxBody)
                .listener(counting)
                .build();
        this.proxy = new DockerSocketProxy(config);
        try {
            proxy.start();
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    SocketAddress address(boolean unix) {
        for (ListenAddress a : proxy.boundAddresses()) {
            if (unix && a.kind() == ListenAddress.Kind.UNIX) {
                return RawClient.unix(a.path());
            }
            if (!unix && a.kind() == ListenAddress.Kind.TCP) {
                return RawClient.tcp(a.port());
            }
        }
        throw new IllegalStateException("no " + (unix ? "UNIX" : "TCP") + " listener in " + proxy.boundAddresses());
    }

    long connectionsOpened() {
        return opened.get();
    }

    /** Waits until at least {@code count} client connections have been opened and all of them closed. */
    boolean awaitQuiet(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (opened.get() < count || closed.get() < opened.get()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 50));
            }
        }
        return true;
    }

    List<RecordedRequest> journalFrom(int index) {
        List<RecordedRequest> all = daemon.requests();
        return all.subList(Math.min(index, all.size()), all.size());
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            daemon.close();
        }
    }
}
