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
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real proxy (TCP and UNIX listeners) in front of the test kit's recording daemon, with a
 * listener that counts connections so a test can wait until the proxy has finished with a client
 * before reading the daemon's journal.
 */
final class ProxyRig implements AutoCloseable {

    final FakeDockerDaemon daemon;
    final DockerSocketProxy proxy;
    final Policy policy;
    // counted per transport, so a long-lived client on one does not keep the other from being quiet
    private final AtomicLong[] opened = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] closed = {new AtomicLong(), new AtomicLong()};
    private final Object lock = new Object();
    // allowed decisions per transport: an allowed exchange may legitimately stay open (no idle
    // timer)
    private final AtomicLong[] allowed = {new AtomicLong(), new AtomicLong()};

    ProxyRig(Policy policy, Duration headerTimeout, long maxBody) throws IOException {
        this.policy = policy;
        this.daemon = new FakeDockerDaemon().start();
        ProxyListener counting =
                new ProxyListener() {
                    @Override
                    public void connectionOpened(ClientIdentity client, ListenAddress listener) {
                        opened[listener.kind() == ListenAddress.Kind.UNIX ? 1 : 0]
                                .incrementAndGet();
                    }

                    @Override
                    public void decisionMade(
                            ClientIdentity client,
                            String method,
                            String rawTarget,
                            dev.dockerproxy.policy.Decision decision,
                            long nanos) {
                        if (decision.allowed()) {
                            allowed["unix".equals(client.transport()) ? 1 : 0].incrementAndGet();
                        }
                    }

                    @Override
                    public void connectionClosed(ClientIdentity client, long in, long out) {
                        closed["unix".equals(client.transport()) ? 1 : 0].incrementAndGet();
                        synchronized (lock) {
                            lock.notifyAll();
                        }
                    }
                };
        ProxyConfig config =
                ProxyConfig.builder()
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
                return RawClient.unixAddress(a.path());
            }
            if (!unix && a.kind() == ListenAddress.Kind.TCP) {
                return RawClient.tcpAddress(a.port());
            }
        }
        throw new IllegalStateException(
                "no " + (unix ? "UNIX" : "TCP") + " listener in " + proxy.boundAddresses());
    }

    /** Requests the proxy allowed so far on a transport (forwarded, or being forwarded). */
    long allowedDecisions(boolean unix) {
        return allowed[unix ? 1 : 0].get();
    }

    long connectionsOpened(boolean unix) {
        return opened[unix ? 1 : 0].get();
    }

    /**
     * Waits until at least {@code count} client connections on a transport have been opened and all
     * of them closed.
     */
    boolean awaitQuiet(boolean unix, long count, Duration timeout) throws InterruptedException {
        int t = unix ? 1 : 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (opened[t].get() < count || closed[t].get() < opened[t].get()) {
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
