package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testsupport.RawClient;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon fails under the proxy: not there at start, killed with SIGKILL in the middle of
 * streams, replaced by a new daemon on the same socket. The proxy answers 502 while the daemon is
 * away, never makes a cut stream look finished, and serves again as soon as a daemon listens,
 * without a restart.
 */
class DaemonFailuresTest {

    private Path dir;
    private Path socket;

    @BeforeEach
    void socketPath() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dfault");
        socket = dir.resolve("docker.sock");
    }

    @AfterEach
    void cleanUp() throws IOException {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    @Test
    void daemonDownAtStartGets502NamingTheSocketThenTheSameConnectionIsServedOnceTheDaemonStarts()
            throws Exception {
        long t0 = System.nanoTime();
        try (FaultProxy proxy = FaultProxy.start(socket);
                RawClient client = proxy.connect()) {
            RawClient.Response down = client.get("/v1.41/_ping");
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.head().header("Content-Type")).isEqualTo("application/json");
            assertThat(down.bodyText())
                    .contains("cannot reach the Docker daemon at unix://" + socket)
                    .contains("check that the Docker daemon is running");
            assertThat(proxy.upstreamErrors).isNotEmpty();

            try (FakeDockerDaemon daemon = FakeDockerDaemon.onUnixSocket(socket).start()) {
                RawClient.Response up = client.get("/v1.41/_ping");
                assertThat(up.status()).isEqualTo(200);
                assertThat(up.bodyText()).isEqualTo("OK");
                try (RawClient fresh = proxy.connect()) {
                    assertThat(fresh.get("/v1.41/version").status()).isEqualTo(200);
                }
                assertThat(daemon.requestCount()).isEqualTo(2);
            }
        }
        FaultsReport.survived(
                "daemon down at start",
                "502 with the socket named, then 200 on the same "
                        + "client connection once a daemon listens; no proxy restart",
                LeakProbe.since(t0));
    }

    @Test
    void daemonKilledMidStreamCutsTheClientsStreamsWithoutACleanEndAndTheProxyKeepsServing()
            throws Exception {
        long t0 = System.nanoTime();
        try (FaultProxy proxy = FaultProxy.start(socket)) {
            ChildDaemon daemon = ChildDaemon.start(socket);
            try (RawClient logs = proxy.connect();
                    RawClient events = proxy.connect()) {
                logs.send(
                        "GET /v1.41/containers/fake-web/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n\r\n");
                RawClient.Head logsHead = logs.readHead();
                assertThat(logsHead.status()).isEqualTo(200);
                assertThat(logsHead.chunked()).isTrue();
                assertThat(new String(logs.readChunk(), StandardCharsets.UTF_8))
                        .isEqualTo("log line 0\n");
                assertThat(new String(logs.readChunk(), StandardCharsets.UTF_8))
                        .isEqualTo("log line 1\n");
                events.send("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n");
                assertThat(events.readHead().status()).isEqualTo(200);
                daemon.awaitEventSubscribers(1);
                assertThat(
                                daemon.pushEvent(
                                        "{\"Type\":\"container\",\"Action\":\"start\",\"id\":\"before-kill\"}"))
                        .isEqualTo(1);
                assertThat(new String(events.readChunk(), StandardCharsets.UTF_8))
                        .contains("before-kill");

                daemon.kill();

                logs.timeout(Duration.ofSeconds(10));
                events.timeout(Duration.ofSeconds(10));
                assertThatThrownBy(
                                () -> {
                                    while (true) {
                                        if (logs.readChunk() == null) {
                                            throw new AssertionError(
                                                    "the logs stream ended with a terminating chunk: a clean end "
                                                            + "the daemon never sent");
                                        }
                                    }
                                })
                        .isInstanceOf(EOFException.class);
                assertThatThrownBy(
                                () -> {
                                    while (true) {
                                        if (events.readChunk() == null) {
                                            throw new AssertionError(
                                                    "the events stream ended with a terminating chunk");
                                        }
                                    }
                                })
                        .isInstanceOf(EOFException.class);
            } finally {
                daemon.close();
            }

            try (RawClient other = proxy.connect()) {
                RawClient.Response down = other.get("/v1.41/_ping");
                assertThat(down.status()).isEqualTo(502);
                assertThat(down.bodyText()).contains("cannot reach the Docker daemon");
                try (ChildDaemon again = ChildDaemon.start(socket)) {
                    assertThat(other.get("/v1.41/_ping").status()).isEqualTo(200);
                }
            }
        }
        FaultsReport.survived(
                "daemon killed mid-stream",
                "SIGKILL during logs -f and /events: both client "
                        + "streams end without a terminating chunk (EOF inside the framing); others get 502, then 200 "
                        + "from a new daemon",
                LeakProbe.since(t0));
    }

    @Test
    void daemonRestartedOnTheSameSocketIsUsedByKeptAliveConnectionsAndNewStreams()
            throws Exception {
        long t0 = System.nanoTime();
        try (FaultProxy proxy = FaultProxy.start(socket);
                RawClient kept = proxy.connect()) {
            try (ChildDaemon first = ChildDaemon.start(socket)) {
                assertThat(kept.get("/v1.41/_ping").status()).isEqualTo(200);
            }
            try (ChildDaemon second = ChildDaemon.start(socket);
                    RawClient events = proxy.connect()) {
                RawClient.Response again = kept.get("/v1.41/_ping");
                assertThat(again.status())
                        .as("a kept-alive client whose upstream died with the old daemon")
                        .isEqualTo(200);
                assertThat(again.bodyText()).isEqualTo("OK");
                events.send("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n");
                assertThat(events.readHead().status()).isEqualTo(200);
                second.awaitEventSubscribers(1);
                second.pushEvent(
                        "{\"Type\":\"container\",\"Action\":\"start\",\"id\":\"after-restart\"}");
                assertThat(new String(events.readChunk(), StandardCharsets.UTF_8))
                        .contains("after-restart");
            }
        }
        FaultsReport.survived(
                "daemon restarted",
                "new daemon process on the same socket path: kept-alive "
                        + "connection and a new /events stream served, no proxy restart",
                LeakProbe.since(t0));
    }
}
