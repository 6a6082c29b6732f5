package dev.dockerproxy.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static ProbeHttp.Response response(
            int status, Map<String, String> headers, String body) {
        return new ProbeHttp.Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static final Map<String, String> DAEMON =
            Map.of(
                    "api-version",
                    "1.41",
                    "server",
                    "Docker/20.10.24 (linux)",
                    "content-type",
                    "application/json");

    @Test
    void ourJsonDenialIsBlocked() {
        Classifier.Classification c =
                Classifier.classify(
                        response(
                                403,
                                Map.of("content-type", "application/json"),
                                "{\"message\":\"denied: POST /v1.41/containers/create is containers.create\"}"));
        assertThat(c.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(c.detail()).startsWith("proxy: denied: POST");
    }

    @Test
    void haproxysHtmlForbiddenIsBlocked() {
        Classifier.Classification c =
                Classifier.classify(
                        response(
                                403,
                                Map.of("content-type", "text/html"),
                                "<html><body><h1>403 Forbidden</h1>Request forbidden by administrative rules.</body></html>"));
        assertThat(c.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(c.detail()).contains("text/html");
    }

    @Test
    void daemonNoSuchContainerMeansTheRequestReachedTheDaemon() {
        Classifier.Classification c =
                Classifier.classify(
                        response(
                                404,
                                DAEMON,
                                "{\"message\":\"No such container: dsp-verify-nonexistent-1\"}"));
        assertThat(c.outcome()).isEqualTo(Outcome.REACHABLE);
        assertThat(c.detail()).isEqualTo("daemon: No such container: dsp-verify-nonexistent-1");
    }

    @Test
    void daemonPageNotFoundWithoutVersionHeaderIsStillReachable() {
        assertThat(
                        Classifier.classify(
                                        response(
                                                404,
                                                Map.of("content-type", "application/json"),
                                                "{\"message\":\"page not found\"}"))
                                .outcome())
                .isEqualTo(Outcome.REACHABLE);
    }

    @Test
    void daemonBadRequestConflictAndServerErrorsAreReachable() {
        for (int status : new int[] {400, 409, 500, 503}) {
            assertThat(
                            Classifier.classify(response(status, DAEMON, "{\"message\":\"x\"}"))
                                    .outcome())
                    .as("%d", status)
                    .isEqualTo(Outcome.REACHABLE);
        }
    }

    @Test
    void aSuccessfulAnswerIsReachable() {
        assertThat(Classifier.classify(response(200, Map.of(), "[]")).outcome())
                .isEqualTo(Outcome.REACHABLE);
    }

    @Test
    void aProxyGatewayErrorIsInconclusive() {
        assertThat(
                        Classifier.classify(
                                        response(
                                                502,
                                                Map.of("content-type", "application/json"),
                                                "{\"message\":\"docker-socket-proxy cannot reach the Docker daemon at unix:///x\"}"))
                                .outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(
                        Classifier.classify(
                                        response(
                                                503,
                                                Map.of("content-type", "text/html"),
                                                "<h1>503 Service Unavailable</h1>"))
                                .outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void aPlainTextNotFoundFromSomethingElseIsBlocked() {
        assertThat(
                        Classifier.classify(
                                        response(
                                                404,
                                                Map.of("content-type", "text/plain"),
                                                "404 page not found"))
                                .outcome())
                .isEqualTo(Outcome.BLOCKED);
    }

    @Test
    void methodNotAllowedIsBlockedEvenWithADockerShapedBody() {
        assertThat(
                        Classifier.classify(
                                        response(
                                                405,
                                                Map.of(),
                                                "{\"message\":\"method not allowed\"}"))
                                .outcome())
                .isEqualTo(Outcome.BLOCKED);
    }

    @Test
    void theDaemonsRawStreamErrorForAttachToAMissingContainerIsReachable() {
        Classifier.Classification c =
                Classifier.classify(
                        response(
                                404,
                                Map.of("content-type", "application/vnd.docker.raw-stream"),
                                "No such container: dsp-verify-nonexistent-1\r\n"));
        assertThat(c.outcome()).isEqualTo(Outcome.REACHABLE);
    }
}
