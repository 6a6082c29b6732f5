package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testsupport.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeDockerDaemonLifecycleTest {

    @Test
    void addressesBeforeStartSayCallStartFirst() {
        FakeDockerDaemon daemon = new FakeDockerDaemon();

        assertThatThrownBy(daemon::socketPath)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call start() first");
        assertThatThrownBy(daemon::dockerHost).hasMessageContaining("call start() first");
    }

    @Test
    void startIsIdempotentAndTheSocketIsShortAndUnderTmp() throws Exception {
        try (FakeDockerDaemon daemon = new FakeDockerDaemon()) {
            daemon.start();
            Path first = daemon.socketPath();
            daemon.start();

            assertThat(daemon.socketPath()).isEqualTo(first);
            assertThat(first.toString()).startsWith("/tmp/fdd").endsWith("/docker.sock");
            assertThat(first.toString().length()).isLessThan(60);
            assertThat(daemon.dockerHost()).isEqualTo("unix://" + first);
            assertThat(Files.exists(first)).isTrue();
        }
    }

    @Test
    void closeIsIdempotentAndDeletesTheSocketAndItsTempDirectory() throws Exception {
        FakeDockerDaemon daemon = new FakeDockerDaemon().start();
        Path socket = daemon.socketPath();

        daemon.close();
        daemon.close();

        assertThat(socket).doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
    }

    @Test
    void startAfterCloseSaysCreateANewDaemon() {
        FakeDockerDaemon daemon = new FakeDockerDaemon();
        daemon.close();

        assertThatThrownBy(daemon::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("close() already called; create a new FakeDockerDaemon");
        assertThatThrownBy(daemon::dockerHost)
                .hasMessageContaining("create a new FakeDockerDaemon");
    }

    @Test
    void aTcpDaemonHasAPortAndSaysSoWhenAskedForASocketPath() throws Exception {
        try (FakeDockerDaemon daemon = FakeDockerDaemon.onTcp().start()) {
            assertThat(daemon.port()).isPositive();
            assertThat(daemon.dockerHost()).isEqualTo("tcp://127.0.0.1:" + daemon.port());
            assertThat(daemon.url("/v1.41/info").toString())
                    .isEqualTo("http://127.0.0.1:" + daemon.port() + "/v1.41/info");
            assertThatThrownBy(daemon::socketPath)
                    .hasMessageContaining("listens on TCP; use port() or dockerHost()");
        }
    }

    @Test
    void aUnixDaemonSaysToUseSocketPathWhenAskedForAPort() throws Exception {
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start()) {
            assertThatThrownBy(daemon::port)
                    .hasMessageContaining("use socketPath() or dockerHost()");
        }
    }

    @Test
    void aGivenSocketPathIsUsedAndAnExistingFileIsNeverTakenOver() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fddt");
        Path socket = dir.resolve("d.sock");
        try (FakeDockerDaemon daemon = FakeDockerDaemon.onUnixSocket(socket).start()) {
            assertThat(daemon.socketPath()).isEqualTo(socket);
            FakeDockerDaemon second = FakeDockerDaemon.onUnixSocket(socket);
            assertThatThrownBy(second::start).hasMessageContaining("already exists");
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
    }

    @Test
    void listeningOnParsesDockerHostStyleAddresses() throws Exception {
        try (FakeDockerDaemon tcp = FakeDockerDaemon.listeningOn("tcp://127.0.0.1:0").start();
                FakeDockerDaemon unix = FakeDockerDaemon.listeningOn("unix://").start()) {
            assertThat(tcp.dockerHost()).startsWith("tcp://127.0.0.1:");
            assertThat(unix.dockerHost()).startsWith("unix:///tmp/fdd");
        }
        assertThatThrownBy(() -> FakeDockerDaemon.listeningOn("npipe:////./pipe/docker"))
                .hasMessageContaining(
                        "expected unix:///path/to/docker.sock or tcp://127.0.0.1:PORT");
    }

    @Test
    void resetForgetsRequestsQueueAndDispatcher() throws Exception {
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start();
                RawClient c = RawClient.connect(daemon.dockerHost())) {
            daemon.setDispatcher(r -> FakeResponse.error(500, "custom"));
            daemon.enqueue(FakeResponse.error(418, "queued"));
            c.send("GET /nope HTTP/1.1\r\nHost: d\r\n\r\n").readUntil("queued\"}");

            daemon.reset();

            assertThat(daemon.requestCount()).isZero();
            assertThat(daemon.takeRequest(Duration.ofMillis(1))).isNull();
            assertThat(daemon.queuedResponseCount()).isZero();
            assertThat(daemon.dispatcher()).isInstanceOf(DockerEngineDispatcher.class);
        }
    }

    @Test
    void takeRequestReturnsNullWhenNothingArrivesInTime() throws Exception {
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start()) {
            assertThat(daemon.takeRequest(Duration.ofMillis(20))).isNull();
        }
    }
}
