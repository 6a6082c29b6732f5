package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class UnixListenerTest {

    private static final String PONG = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK";

    private Path dir;
    private FakeUpstream upstream;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dsp");
        upstream = FakeUpstream.unix(FakeUpstream.answering(PONG));
    }

    @AfterEach
    void tearDown() throws Exception {
        upstream.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private ProxyConfig.Builder config(ListenAddress listen) {
        return ProxyConfig.builder()
                .listen(listen)
                .upstream(Harness.upstreamAddress(upstream))
                .policy(TestPolicies.readOnly());
    }

    @Test
    void servesOverAUnixSocketWithDefaultMode0660AndPeerCredentials() throws Exception {
        Path sock = dir.resolve("p.sock");
        CompletableFuture<ClientIdentity> seen = new CompletableFuture<>();
        ProxyListener listener =
                new ProxyListener() {
                    @Override
                    public void connectionOpened(ClientIdentity client, ListenAddress on) {
                        seen.complete(client);
                    }
                };
        try (DockerSocketProxy proxy =
                        new DockerSocketProxy(
                                        config(ListenAddress.unix(sock)).listener(listener).build())
                                .start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            assertThat(proxy.boundAddress().path()).isEqualTo(sock);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
                    .isEqualTo("rw-rw----");
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText())
                    .isEqualTo("OK");

            ClientIdentity client = seen.get(5, TimeUnit.SECONDS);
            assertThat(client.transport()).isEqualTo("unix");
            long myUid = (Integer) Files.getAttribute(dir, "unix:uid");
            assertThat(client.uid()).isEqualTo(myUid);
            long myGid = (Integer) Files.getAttribute(dir, "unix:gid");
            assertThat(client.gid()).isEqualTo(myGid);
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void configuredSocketModeIsApplied() throws Exception {
        Path sock = dir.resolve("p.sock");
        try (DockerSocketProxy proxy =
                new DockerSocketProxy(config(ListenAddress.unix(sock)).unixSocketMode(0600).build())
                        .start()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path sock = dir.resolve("p.sock");
        AFUNIXServerSocket old = AFUNIXServerSocket.newInstance();
        old.bind(AFUNIXSocketAddress.of(sock));
        old.setDeleteOnClose(false);
        old.close();
        assertThat(sock).exists();

        try (DockerSocketProxy proxy =
                        new DockerSocketProxy(config(ListenAddress.unix(sock)).build()).start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void liveSocketIsNeverTakenOver() throws Exception {
        Path sock = dir.resolve("p.sock");
        try (AFUNIXServerSocket live = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(sock))) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(config(ListenAddress.unix(sock)).build());

            assertThatThrownBy(proxy::start)
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(sock.toString())
                    .hasMessageContaining("another process is accepting");
            assertThat(sock).exists();
            assertThat(live.isClosed()).isFalse();
        }
    }

    @Test
    void regularFileInTheWayIsNeverDeleted() throws Exception {
        Path file = dir.resolve("p.sock");
        Files.writeString(file, "precious");
        DockerSocketProxy proxy = new DockerSocketProxy(config(ListenAddress.unix(file)).build());

        assertThatThrownBy(proxy::start)
                .isInstanceOf(BindException.class)
                .hasMessageContaining("not a socket");
        assertThat(file).hasContent("precious");
    }

    @Test
    void tempSocketPathIsResolvedAtStartAndRemovedAtClose() throws Exception {
        Path resolved;
        try (DockerSocketProxy proxy =
                        new DockerSocketProxy(config(ListenAddress.unixTemp()).build()).start();
                RawClient c = Harness.connect(proxy.boundAddress())) {
            resolved = proxy.boundAddress().path();
            assertThat(resolved).exists();
            assertThat(resolved.toString().length()).isLessThan(100);
            assertThat(c.send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status())
                    .isEqualTo(200);
        }
        assertThat(resolved).doesNotExist();
        assertThat(resolved.getParent()).doesNotExist();
    }
}
