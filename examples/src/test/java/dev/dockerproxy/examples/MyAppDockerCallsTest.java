package dev.dockerproxy.examples;

import static dev.dockerproxy.testkit.assertj.DaemonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.ProxyFixture;
import dev.dockerproxy.testkit.junit.FakeDockerExtension;
import dev.dockerproxy.testkit.junit.ProxyFixtureExtension;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copy this: test your application's Docker calls without a Docker Engine (first half), then test
 * that the proxy policy you deploy it behind lets exactly those calls through (second half). {@link
 * ContainerLister} stands in for your application.
 */
class MyAppDockerCallsTest {

    /** 1. The application's Docker calls, against a fake daemon. */
    @Nested
    class AgainstAFakeDaemon {
        @RegisterExtension
        FakeDockerExtension docker =
                FakeDockerExtension.builder()
                        .tcp() // ContainerLister speaks HTTP over TCP
                        .failOnUnmatchedRequests(
                                true) // a call nothing answered (Docker's 404) fails the test
                        .build();

        @Test
        void listsTheNamesOfRunningContainers(FakeDockerDaemon daemon) throws Exception {
            daemon.enqueue(
                    "GET",
                    "/containers/json",
                    FakeResponse.json(
                            200,
                            "[{\"Id\":\"a1\",\"Names\":[\"/web\"]},{\"Id\":\"b2\",\"Names\":[\"/db\"]}]"));

            assertThat(new ContainerLister(daemon.dockerHost()).runningContainerNames())
                    .containsExactly("web", "db");

            assertThat(daemon).receivedExactly("GET /_ping", "GET /containers/json");
        }

        @Test
        void reportsDockersMessageWhenListingFails(FakeDockerDaemon daemon) {
            daemon.enqueue("GET", "/containers/json", FakeResponse.error(500, "disk full"));

            assertThatThrownBy(
                            () -> new ContainerLister(daemon.dockerHost()).runningContainerNames())
                    .isInstanceOf(IOException.class)
                    .hasMessage("listing containers failed: 500 disk full");
        }
    }

    /**
     * 2. The policy the application runs behind (here Tecnativa-style CONTAINERS=1) lets exactly
     * its calls through.
     */
    @Nested
    class ThroughTheProxyPolicy {
        static final Policy PRODUCTION_POLICY =
                TecnativaEnv.parse(Map.of("CONTAINERS", "1")).policy();

        @RegisterExtension
        ProxyFixtureExtension proxy =
                ProxyFixtureExtension.builder().policy(PRODUCTION_POLICY).tcp().build();

        @Test
        void thePolicyLetsTheApplicationsCallsThrough(ProxyFixture fixture) throws Exception {
            assertThat(new ContainerLister(fixture.dockerHost()).runningContainerNames())
                    .containsExactly("fake-web");

            assertThat(fixture.daemon())
                    .receivedOnlyReads()
                    .receivedExactly("GET /_ping", "GET /containers/json");
        }

        @Test
        void callsTheApplicationDoesNotNeedNeverReachTheDaemon(ProxyFixture fixture)
                throws Exception {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> images =
                    http.send(
                            HttpRequest.newBuilder(fixture.url("/v1.41/images/json")).build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> create =
                    http.send(
                            HttpRequest.newBuilder(fixture.url("/v1.41/containers/create"))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"Image\":\"alpine\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(images.statusCode()).as(images.body()).isEqualTo(403);
            assertThat(create.statusCode())
                    .as(create.body())
                    .isEqualTo(405); // POST is never allowed
            assertThat(fixture.daemon())
                    .neverReceived("GET", "/images/json")
                    .neverReceived("POST", "/containers/create")
                    .receivedNothing();
        }
    }
}
