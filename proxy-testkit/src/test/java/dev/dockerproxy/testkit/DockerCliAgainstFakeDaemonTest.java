package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.DockerCli;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real docker CLI (28.x) talks to the fake daemon on a UNIX socket. */
class DockerCliAgainstFakeDaemonTest {
    private FakeDockerDaemon daemon;
    private DockerCli docker;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDockerDaemon().start();
        docker = DockerCli.on(daemon.dockerHost()).withTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    @Test
    void dockerVersionShowsTheFakeEngineAndNegotiatesApi141() throws Exception {
        DockerCli.Result r = docker.run("version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("20.10.24+dfsg1").contains("1.41 (minimum version 1.12)");
        assertThat(daemon.requests()).anySatisfy(q -> assertThat(q.path()).isEqualTo("/_ping"));
        assertThat(daemon.requests())
                .anySatisfy(
                        q -> {
                            assertThat(q.path()).isEqualTo("/version");
                            assertThat(q.apiVersion()).isEqualTo("1.41");
                        });
    }

    @Test
    void dockerPsListsTheCannedContainer() throws Exception {
        DockerCli.Result r =
                docker.run("ps", "--format", "{{.ID}} {{.Names}} {{.Image}} {{.Status}}");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().trim())
                .isEqualTo("f00dfeedc0ff fake-web local/busybox:latest Up 5 minutes");
    }

    @Test
    void dockerImagesListsTheCannedImage() throws Exception {
        DockerCli.Result r = docker.run("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("local/busybox:latest b0b0b0b0b0b0");
    }

    @Test
    void dockerInfoPrintsTheServerSection() throws Exception {
        DockerCli.Result r = docker.run("info");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .contains("Server Version: 20.10.24+dfsg1")
                .contains("Storage Driver: vfs")
                .contains("Name: fake-docker-daemon");
    }

    @Test
    void dockerNetworkAndVolumeLsListTheCannedOnes() throws Exception {
        DockerCli.Result networks = docker.run("network", "ls", "--format", "{{.Name}}");
        DockerCli.Result volumes = docker.run("volume", "ls", "--format", "{{.Name}}");

        assertThat(networks.stdout().lines())
                .as(networks.toString())
                .containsExactlyInAnyOrder("none", "host");
        assertThat(volumes.stdout().trim()).as(volumes.toString()).isEqualTo("fake-data");
    }

    @Test
    void dockerEventsPrintsAnEventPushedByTheTest() throws Exception {
        try (DockerCli.Background events =
                docker.start(
                        "events", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")) {
            daemon.awaitEventSubscribers(1, Duration.ofSeconds(10));

            int delivered =
                    daemon.pushEvent(
                            "{\"Type\":\"container\",\"Action\":\"start\",\"status\":\"start\","
                                    + "\"id\":\"f00dfeedc0ff\",\"Actor\":{\"ID\":\"f00dfeedc0ff\",\"Attributes\":{\"name\":\"fake-web\"}},"
                                    + "\"scope\":\"local\",\"time\":1735689600,\"timeNano\":1735689600000000000}");

            assertThat(delivered).isEqualTo(1);
            assertThat(events.awaitStdout("container start fake-web", Duration.ofSeconds(10)))
                    .isEqualTo("container start fake-web\n");
            assertThat(events.isAlive()).as("docker events keeps listening").isTrue();
        }
    }

    @Test
    void dockerExecRunsAgainstAScriptedHijack() throws Exception {
        daemon.setDispatcher(
                DockerEngineDispatcher.builder()
                        .route(
                                "POST",
                                "/containers/{id}/exec",
                                FakeResponse.json(201, "{\"Id\":\"e1\"}"))
                        .route(
                                "POST",
                                "/exec/e1/start",
                                FakeResponse.hijack(
                                        HijackHandler.writing(
                                                concat(
                                                        StdStreamFrames.encode(
                                                                StdStream.STDOUT,
                                                                "hello from exec\n"),
                                                        StdStreamFrames.encode(
                                                                StdStream.STDERR, "a warning\n")))))
                        .route(
                                "GET",
                                "/exec/e1/json",
                                FakeResponse.json(
                                        200,
                                        "{\"ID\":\"e1\",\"Running\":false,\"ExitCode\":0,\"Pid\":0}"))
                        .build());

        DockerCli.Result r = docker.run("exec", "fake-web", "echo", "hello from exec");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("hello from exec\n");
        assertThat(r.stderr()).isEqualTo("a warning\n");
        RecordedRequest create =
                daemon.requests().stream()
                        .filter(q -> q.matches("POST", "/containers/fake-web/exec"))
                        .findFirst()
                        .orElseThrow();
        assertThat(create.bodyUtf8()).contains("\"Cmd\":[\"echo\",\"hello from exec\"]");
        RecordedRequest start =
                daemon.requests().stream()
                        .filter(q -> q.matches("POST", "/exec/e1/start"))
                        .findFirst()
                        .orElseThrow();
        assertThat(start.header("Upgrade")).isEqualTo("tcp");
    }

    @Test
    void dockerExecExitCodeComesFromExecInspect() throws Exception {
        daemon.setDispatcher(
                DockerEngineDispatcher.builder()
                        .route(
                                "POST",
                                "/containers/{id}/exec",
                                FakeResponse.json(201, "{\"Id\":\"e2\"}"))
                        .route(
                                "POST",
                                "/exec/e2/start",
                                FakeResponse.hijack(HijackHandler.writing(new byte[0])))
                        .route(
                                "GET",
                                "/exec/e2/json",
                                FakeResponse.json(
                                        200, "{\"ID\":\"e2\",\"Running\":false,\"ExitCode\":7}"))
                        .build());

        DockerCli.Result r = docker.run("exec", "fake-web", "false");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
    }

    @Test
    void anUnknownRouteShowsAsErrorResponseFromDaemon() throws Exception {
        DockerCli.Result r = docker.run("volume", "create", "precious");

        assertThat(r.timedOut()).as(r.toString()).isFalse();
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("Error response from daemon: page not found");
        assertThat(daemon.unmatchedRequests())
                .extracting(RecordedRequest::toString)
                .containsExactly("POST /v1.41/volumes/create");
    }

    @Test
    void anEnqueuedErrorReachesTheCliVerbatim() throws Exception {
        daemon.enqueue(
                "GET",
                "/containers/json",
                FakeResponse.error(403, "denied by rule 3: containers are off limits"));

        DockerCli.Result r = docker.run("ps");

        assertThat(r.timedOut()).as(r.toString()).isFalse();
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr())
                .contains(
                        "Error response from daemon: denied by rule 3: containers are off limits");
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
