package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.server.internal.TcpListenerBinder;
import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.net.Inet6Address;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressesTest {

    @Test
    void listenAddressesParseTcpIpv6AndUnixForms() {
        assertThat(ListenAddress.parse("tcp://0.0.0.0:2375"))
                .isEqualTo(ListenAddress.tcp("0.0.0.0", 2375));
        ListenAddress v6 = ListenAddress.parse("tcp://[::]:2375");
        assertThat(v6.host()).isEqualTo("::");
        assertThat(v6.port()).isEqualTo(2375);
        assertThat(v6.toString()).isEqualTo("tcp://[::]:2375");
        assertThat(ListenAddress.parse("unix:///run/dsp.sock").path())
                .isEqualTo(Path.of("/run/dsp.sock"));
        assertThat(ListenAddress.parse("unix:///run/dsp.sock").toString())
                .isEqualTo("unix:///run/dsp.sock");
    }

    @Test
    void badListenAddressesSayWhichFormsWork() {
        assertThatThrownBy(() -> ListenAddress.parse("0.0.0.0:2375"))
                .hasMessageContaining("tcp://HOST:PORT");
        assertThatThrownBy(() -> ListenAddress.parse("tcp://::1:2375"))
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> ListenAddress.parse("tcp://host")).hasMessageContaining("no port");
        assertThatThrownBy(() -> ListenAddress.parse("tcp://host:70000"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> ListenAddress.parse("unix://relative.sock"))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> ListenAddress.unix(Path.of("/tmp/" + "x".repeat(120))))
                .hasMessageContaining("100 bytes");
    }

    @Test
    void upstreamFollowsSocketPathThenDockerHostThenTheDefault() {
        assertThat(UpstreamAddress.fromEnvironment(Map.of())).isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(UpstreamAddress.DEFAULT.toString()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(
                        UpstreamAddress.fromEnvironment(
                                Map.of("SOCKET_PATH", "/run/user/1000/docker.sock")))
                .isEqualTo(UpstreamAddress.unix(Path.of("/run/user/1000/docker.sock")));
        assertThat(
                        UpstreamAddress.fromEnvironment(
                                Map.of(
                                        "DOCKER_HOST",
                                        "tcp://10.0.0.5:2375",
                                        "SOCKET_PATH",
                                        "/x.sock")))
                .isEqualTo(UpstreamAddress.unix(Path.of("/x.sock")));
        assertThat(UpstreamAddress.fromEnvironment(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375")))
                .isEqualTo(UpstreamAddress.tcp("10.0.0.5", 2375));
        assertThat(UpstreamAddress.parse("unix:///var/run/docker.sock"))
                .isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(UpstreamAddress.tcp("10.0.0.5", 2375).hostHeader()).isEqualTo("10.0.0.5:2375");
        assertThat(UpstreamAddress.DEFAULT.hostHeader()).isEqualTo("docker");
        assertThatThrownBy(() -> UpstreamAddress.parse("ssh://host"))
                .hasMessageContaining("tcp://HOST:PORT");
    }

    @Test
    void aDockerHostForClientsIsIgnoredAndBadVariablesAreNamed() {
        assertThat(UpstreamAddress.fromEnvironment(Map.of("DOCKER_HOST", "ssh://me@host")))
                .isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(UpstreamAddress.fromEnvironment(Map.of("DOCKER_HOST", "unix:///run/d.sock")))
                .isEqualTo(UpstreamAddress.unix(Path.of("/run/d.sock")));
        assertThatThrownBy(
                        () -> UpstreamAddress.fromEnvironment(Map.of("SOCKET_PATH", "docker.sock")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absolute path")
                .extracting(e -> ((ConfigException) e).location())
                .isEqualTo("SOCKET_PATH");
        assertThatThrownBy(
                        () ->
                                UpstreamAddress.fromEnvironment(
                                        Map.of("DOCKER_HOST", "tcp://daemon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no port")
                .extracting(e -> ((ConfigException) e).location())
                .isEqualTo("DOCKER_HOST");
        assertThatThrownBy(() -> ListenAddress.parse("tcp://host/x:2375"))
                .hasMessageContaining("no path");
    }

    @Test
    void configWithoutAPolicyFailsSayingHowToSetOne() {
        assertThatThrownBy(() -> ProxyConfig.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Presets.get(\"read-only\")");
        assertThatThrownBy(() -> ProxyConfig.builder().unixSocketMode(01000))
                .hasMessageContaining("0660");
    }

    @Test
    void configDefaultsAreSecureAndCopyable() {
        ProxyConfig c = ProxyConfig.builder().policy(TestPolicies.readOnly()).build();
        assertThat(c.listeners()).containsExactly(ListenAddress.tcp("127.0.0.1", 2375));
        assertThat(c.unixSocketMode()).isEqualTo(0660);
        assertThat(c.upstream()).isEqualTo(UpstreamAddress.DEFAULT);
        assertThat(c.headerReadTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(c.maxConnections())
                .isEqualTo(ProxyConfig.DEFAULT_MAX_CONNECTIONS)
                .isEqualTo(1024);
        assertThat(c.listener()).isSameAs(ProxyListener.NO_OP);
        ProxyConfig copy = c.toBuilder().maxConnections(5).build();
        assertThat(copy.maxConnections()).isEqualTo(5);
        assertThat(copy.policy()).isSameAs(c.policy());
    }

    @Test
    void ipv6WildcardFallsBackToIpv4WithAWarningOnAHostWithoutIpv6() throws Exception {
        List<String> warnings = new ArrayList<>();
        TcpListenerBinder noIpv6 =
                new TcpListenerBinder(
                        (address, backlog) -> {
                            if (address.getAddress() instanceof Inet6Address) {
                                throw new SocketException("Protocol family unavailable");
                            }
                            return TcpListenerBinder.SYSTEM.open(address, backlog);
                        });
        try (ServerSocket s = noIpv6.bind("::", 0, 50, warnings::add)) {
            assertThat(s.getInetAddress().getHostAddress()).isEqualTo("0.0.0.0");
        }
        try (ServerSocket s = noIpv6.bind("::1", 0, 50, warnings::add)) {
            assertThat(s.getInetAddress().isLoopbackAddress()).isTrue();
        }
        assertThat(warnings)
                .hasSize(2)
                .allSatisfy(w -> assertThat(w).contains("IPv6 seems unavailable"));
    }

    @Test
    void ipv6WildcardListenerAcceptsClientsWhereIpv6Works() throws Exception {
        List<String> warnings = new ArrayList<>();
        try (FakeUpstream upstream =
                        FakeUpstream.unix(
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"));
                DockerSocketProxy proxy =
                        new DockerSocketProxy(
                                        ProxyConfig.builder()
                                                .listen("tcp://[::]:0")
                                                .upstream(Harness.upstreamAddress(upstream))
                                                .policy(TestPolicies.readOnly())
                                                .listener(
                                                        new ProxyListener() {
                                                            @Override
                                                            public void warning(String message) {
                                                                warnings.add(message);
                                                            }
                                                        })
                                                .build())
                                .start();
                RawClient c =
                        Harness.connect(
                                ListenAddress.tcp("127.0.0.1", proxy.boundAddress().port()))) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
            assertThat(warnings.isEmpty() || warnings.get(0).contains("IPv6")).isTrue();
        }
    }
}
