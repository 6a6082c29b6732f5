package dev.dockerproxy.testkit.assertj;

import static dev.dockerproxy.testkit.assertj.DaemonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeDockerDaemonAssertTest {
    private FakeDockerDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDockerDaemon().start();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    /** Sends one request on its own connection and reads the whole response. */
    private void call(String method, String target) throws IOException {
        try (RawClient c = RawClient.unix(daemon.socketPath())) {
            c.send(
                            method
                                    + " "
                                    + target
                                    + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                                    + "Content-Length: 0\r\n\r\n")
                    .readToEnd();
        }
    }

    @Test
    void passingAssertionsReadLikeTheIntent() throws Exception {
        call("HEAD", "/_ping");
        call("GET", "/v1.41/containers/json?all=1");
        call("GET", "/v1.41/containers/fake-web/json");

        assertThat(daemon)
                .receivedOnlyReads()
                .received("GET", "/containers/json")
                .received("GET", "/containers/{id}/json")
                .neverReceived("POST", "/containers/create")
                .receivedExactly("HEAD /_ping", "GET /containers/json", "GET /containers/{id}/json")
                .hasNoUnmatchedRequests();
    }

    @Test
    void receivedOnlyReadsListsTheWritesAndEverythingThatArrived() throws Exception {
        daemon.enqueue("POST", "/containers/create", FakeResponse.json(201, "{\"Id\":\"x\"}"));
        call("HEAD", "/_ping");
        call("POST", "/v1.41/containers/create?name=evil");
        call("GET", "/v1.41/containers/json");

        assertThatThrownBy(() -> assertThat(daemon).receivedOnlyReads())
                .isInstanceOf(AssertionError.class)
                .hasMessage(
                        "Expected only reads (GET, HEAD) to reach "
                                + daemon
                                + ", but 1 request that is not a read did:\n"
                                + "  - POST /v1.41/containers/create?name=evil\n"
                                + "Requests that reached the daemon (3):\n"
                                + "  1. HEAD /_ping\n"
                                + "  2. POST /v1.41/containers/create?name=evil   <<<\n"
                                + "  3. GET /v1.41/containers/json");
    }

    @Test
    void receivedNamesTheClosestRequestsWhenTheExpectedOneNeverCame() throws Exception {
        call("GET", "/v1.41/containers/json");
        call("POST", "/v1.41/containers/abc/stop");

        assertThatThrownBy(() -> assertThat(daemon).received("POST", "/containers/{id}/start"))
                .hasMessage(
                        "Expected POST /containers/{id}/start to reach "
                                + daemon
                                + ", but it never did.\n"
                                + "Closest:\n"
                                + "  ~ POST /v1.41/containers/abc/stop (same method, path /containers/abc/stop)\n"
                                + "Requests that reached the daemon (2):\n"
                                + "  1. GET /v1.41/containers/json\n"
                                + "  2. POST /v1.41/containers/abc/stop");
    }

    @Test
    void neverReceivedShowsEachOffendingRequest() throws Exception {
        call("DELETE", "/v1.41/containers/a");
        call("DELETE", "/containers/b?force=1");

        assertThatThrownBy(() -> assertThat(daemon).neverReceived("DELETE", "/containers/{id}"))
                .hasMessage(
                        "Expected DELETE /containers/{id} never to reach "
                                + daemon
                                + ", but it did 2 times:\n"
                                + "  - DELETE /v1.41/containers/a\n"
                                + "  - DELETE /containers/b?force=1\n"
                                + "Requests that reached the daemon (2):\n"
                                + "  1. DELETE /v1.41/containers/a   <<<\n"
                                + "  2. DELETE /containers/b?force=1   <<<");
    }

    @Test
    void receivedExactlyPointsAtTheFirstDifference() throws Exception {
        call("HEAD", "/_ping");
        call("GET", "/v1.41/images/json");

        assertThatThrownBy(
                        () ->
                                assertThat(daemon)
                                        .receivedExactly("HEAD /_ping", "GET /containers/json"))
                .hasMessage(
                        "Expected exactly these 2 request(s), in order, to reach "
                                + daemon
                                + ":\n"
                                + "  1. HEAD /_ping\n"
                                + "  2. GET /containers/json\n"
                                + "but #2 was GET /v1.41/images/json (expected GET /containers/json).\n"
                                + "Requests that reached the daemon (2):\n"
                                + "  1. HEAD /_ping\n"
                                + "  2. GET /v1.41/images/json   <<<");
    }

    @Test
    void receivedExactlySaysWhenRequestsAreMissingOrExtra() throws Exception {
        call("HEAD", "/_ping");

        assertThatThrownBy(() -> assertThat(daemon).receivedExactly("HEAD /_ping", "GET /info"))
                .hasMessageContaining("but only 1 did; missing from #2 on.");
        assertThatThrownBy(() -> assertThat(daemon).receivedExactly())
                .hasMessageContaining("but more did; unexpected from #1: HEAD /_ping");
        assertThatThrownBy(() -> assertThat(daemon).receivedExactly("GET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected \"METHOD /path\"");
    }

    @Test
    void receivedNothingAndUnmatchedRequestsListWhatArrived() throws Exception {
        assertThat(daemon).receivedNothing();
        call("POST", "/v1.41/volumes/create");

        assertThatThrownBy(() -> assertThat(daemon).receivedNothing())
                .hasMessage(
                        "Expected no request to reach "
                                + daemon
                                + ", but 1 did.\n"
                                + "Requests that reached the daemon (1):\n"
                                + "  1. POST /v1.41/volumes/create   <<<");
        assertThatThrownBy(() -> assertThat(daemon).hasNoUnmatchedRequests())
                .hasMessageContaining(
                        "nothing (queue or dispatcher) answered 1:\n  - POST /v1.41/volumes/create\n"
                                + "Enqueue a response or add a route");
    }

    @Test
    void failuresOnAnEmptyJournalSaySo() {
        assertThatThrownBy(() -> assertThat(daemon).received("GET", "/info"))
                .hasMessageEndingWith("but it never did.\nNo request reached the daemon.");
    }
}
