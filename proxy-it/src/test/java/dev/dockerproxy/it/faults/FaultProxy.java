package dev.dockerproxy.it.faults;

import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Rule;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.ProxyListener;
import dev.dockerproxy.server.UpstreamAddress;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The real proxy on an ephemeral TCP port in front of a UNIX-socket daemon, with a counting
 * executor.
 */
final class FaultProxy implements AutoCloseable {

    /**
     * Every catalogued endpoint, hijacks and sensitive reads included: faults, not policy, are
     * under test.
     */
    static final Policy ALLOW_ALL =
            Policy.builder()
                    .name("faults allow-all")
                    .rule(
                            Rule.allow()
                                    .name("allow-all")
                                    .access(AccessClass.values())
                                    .source(RuleSource.api("fault suite"))
                                    .build())
                    .build();

    final DockerSocketProxy proxy;
    final CountingExecutor executor;

    /** Messages of the upstream errors the proxy reported to its listener. */
    final List<String> upstreamErrors;

    /** "status reason" of the client errors the proxy reported (header timeouts, limits...). */
    final List<String> clientErrors;

    private FaultProxy(
            DockerSocketProxy proxy,
            CountingExecutor executor,
            List<String> upstreamErrors,
            List<String> clientErrors) {
        this.proxy = proxy;
        this.executor = executor;
        this.upstreamErrors = upstreamErrors;
        this.clientErrors = clientErrors;
    }

    static FaultProxy start(Path upstreamSocket) throws IOException {
        return start(upstreamSocket, b -> b);
    }

    static FaultProxy start(Path upstreamSocket, UnaryOperator<ProxyConfig.Builder> tweak)
            throws IOException {
        CountingExecutor executor = new CountingExecutor();
        List<String> up = new CopyOnWriteArrayList<>();
        List<String> client = new CopyOnWriteArrayList<>();
        ProxyConfig.Builder b =
                ProxyConfig.builder()
                        .listen(ListenAddress.tcp("127.0.0.1", 0))
                        .upstream(UpstreamAddress.unix(upstreamSocket))
                        .policy(ALLOW_ALL)
                        .executor(executor)
                        .listener(
                                new ProxyListener() {
                                    @Override
                                    public void upstreamError(
                                            ClientIdentity c, UpstreamAddress u, Exception error) {
                                        up.add(String.valueOf(error.getMessage()));
                                    }

                                    @Override
                                    public void clientError(
                                            ClientIdentity c, int status, String reason) {
                                        client.add(status + " " + reason);
                                    }
                                });
        DockerSocketProxy proxy = new DockerSocketProxy(tweak.apply(b).build());
        try {
            proxy.start();
        } catch (IOException | RuntimeException e) {
            executor.close();
            throw e;
        }
        return new FaultProxy(proxy, executor, up, client);
    }

    ListenAddress address() {
        return proxy.boundAddress();
    }

    RawClient connect() throws IOException {
        return RawClient.tcp(address().host(), address().port());
    }

    LeakProbe probe(RawDaemon daemon) {
        return new LeakProbe(executor, proxy, daemon);
    }

    @Override
    public void close() {
        proxy.closeImmediately();
        executor.close();
    }
}
