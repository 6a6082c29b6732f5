package dev.dockerproxy.testkit.wiremock;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Serves a WireMock server's stubs over a fake Docker UNIX socket, so a Docker client (the {@code
 * docker} CLI, docker-java, Testcontainers) can be pointed at WireMock:
 *
 * <pre>{@code
 * WireMockServer wireMock = new WireMockServer(options().dynamicPort());
 * wireMock.start();
 * wireMock.stubFor(get("/_ping").willReturn(ok("OK").withHeader("Api-Version", "1.41")));
 * wireMock.stubFor(get(urlPathEqualTo("/v1.41/containers/json")).willReturn(okJson("[]")));
 * try (WireMockDockerBridge bridge = WireMockDockerBridge.start(wireMock)) {
 *     runClientAgainst(bridge.dockerHost());               // unix:///tmp/fdd123/docker.sock
 *     wireMock.verify(getRequestedFor(urlPathEqualTo("/v1.41/containers/json")));
 * }
 * }</pre>
 *
 * Each request on the socket is relayed to WireMock's HTTP port as it came (method, target with its
 * {@code /vX.Y} prefix, headers, body), and WireMock's answer is relayed back; WireMock's request
 * journal and {@code verify(...)} keep working, and the bridge's own {@link #daemon()} journal
 * records the same requests.
 *
 * <p>Limits: no hijack (attach, exec start: requests with {@code Upgrade: tcp} get a 501
 * Docker-style error), responses are buffered whole (an endless stream such as {@code /events}
 * never arrives), and the headers {@code Host}, {@code Connection}, {@code Content-Length}, {@code
 * Expect} and {@code Upgrade} are not relayed. Stub {@code /_ping} with an {@code Api-Version}
 * header, or the Docker CLI will not negotiate down. WireMock is an optional dependency of the
 * testkit.
 */
public final class WireMockDockerBridge implements AutoCloseable {
    private final FakeDockerDaemon daemon;

    private WireMockDockerBridge(FakeDockerDaemon daemon) {
        this.daemon = daemon;
    }

    /** Serves {@code wireMock}'s stubs on a fresh temporary UNIX socket. */
    public static WireMockDockerBridge start(WireMockServer wireMock) throws IOException {
        Objects.requireNonNull(wireMock, "wireMock");
        if (!wireMock.isRunning()) {
            throw new IllegalStateException(
                    "the WireMock server is not running; call wireMock.start() first");
        }
        return start(URI.create(wireMock.baseUrl()));
    }

    /**
     * Serves the stubs of the WireMock server at {@code baseUrl} (e.g. {@code
     * http://localhost:8089}).
     */
    public static WireMockDockerBridge start(URI baseUrl) throws IOException {
        FakeDockerDaemon daemon = new FakeDockerDaemon();
        daemon.setDispatcher(new WireMockRelay(baseUrl));
        daemon.start();
        return new WireMockDockerBridge(daemon);
    }

    /** The UNIX socket Docker clients connect to. */
    public Path socketPath() {
        return daemon.socketPath();
    }

    /** {@code unix:///...}, for {@code DOCKER_HOST}. */
    public String dockerHost() {
        return daemon.dockerHost();
    }

    /** The fake daemon doing the relaying: its journal and assertions work as usual. */
    public FakeDockerDaemon daemon() {
        return daemon;
    }

    /** Stops serving the socket (WireMock keeps running). Idempotent. */
    @Override
    public void close() {
        daemon.close();
    }

    @Override
    public String toString() {
        return "WireMockDockerBridge[" + daemon + "]";
    }
}
