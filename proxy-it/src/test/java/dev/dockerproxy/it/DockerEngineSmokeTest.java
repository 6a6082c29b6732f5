package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.DockerCli;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Proves the e2e fixture: a real engine, the real CLI, offline image, state snapshots. */
@RequiresDockerEngine
class DockerEngineSmokeTest {

    @Test
    void versionNegotiatesTheEngineApi(DockerEngine engine, DockerCli docker) {
        assertThat(engine.socketPath()).satisfies(p -> assertThat(Files.exists(p)).isTrue());
        assertThat(engine.dockerHost()).startsWith("unix://");

        DockerCli.Result r =
                docker.run("version", "--format", "{{.Server.APIVersion}} {{.Server.Os}}")
                        .requireSuccess();
        // Debian's docker.io 20.10 serves API 1.41; the 28.x CLI negotiates down to it.
        assertThat(r.stdout().strip()).matches("1\\.\\d+ linux");
    }

    @Test
    void runEchoesHiAndLeavesNothingBehind(DockerCli docker) {
        EngineState before = EngineState.capture(docker);
        assertThat(before.hasImage(DockerEngine.BUSYBOX)).as("%s", before).isTrue();

        DockerCli.Result r =
                docker.run(
                                "run",
                                "--rm",
                                "--pull",
                                "never",
                                "--network",
                                "none",
                                DockerEngine.BUSYBOX,
                                "echo",
                                "hi")
                        .requireSuccess();
        assertThat(r.stdout()).isEqualTo("hi\n");

        assertThat(EngineState.capture(docker)).isEqualTo(before);
    }

    @Test
    void stdinIsFedToTheContainer(DockerCli docker) {
        DockerCli.Result r =
                docker.withStdin("line one\nline two\n")
                        .run(
                                "run",
                                "--rm",
                                "-i",
                                "--pull",
                                "never",
                                "--network",
                                "none",
                                DockerEngine.BUSYBOX,
                                "wc",
                                "-l")
                        .requireSuccess();
        assertThat(r.stdout().strip()).isEqualTo("2");
    }

    @Test
    void infoThroughTheFixture(DockerEngine engine) {
        DockerCli.Result r =
                DockerCli.runOn(
                                engine.dockerHost(),
                                "info",
                                "--format",
                                "{{.Driver}}|{{.ServerVersion}}|{{.Images}}")
                        .requireSuccess();
        String[] parts = r.stdout().strip().split("\\|");
        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo("vfs");
        assertThat(parts[1]).isNotBlank();
        assertThat(Integer.parseInt(parts[2])).isGreaterThanOrEqualTo(1);
    }

    @Test
    void stateSnapshotSeesCreateAndRemove(DockerCli docker) {
        EngineState before = EngineState.capture(docker);
        String name = "smoke-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        docker.run(
                        "create",
                        "--pull",
                        "never",
                        "--network",
                        "none",
                        "--name",
                        name,
                        DockerEngine.BUSYBOX,
                        "true")
                .requireSuccess();
        try {
            EngineState during = EngineState.capture(docker);
            assertThat(during.containerCount()).isEqualTo(before.containerCount() + 1);
            assertThat(during.diffFrom(before))
                    .startsWith("+ container ")
                    .contains(name)
                    .contains("created");
        } finally {
            docker.run("rm", "-f", name).requireSuccess();
        }
        assertThat(EngineState.capture(docker)).isEqualTo(before);
    }

    @Test
    void backgroundProcessIsStreamedAndKilledByPid(DockerCli docker) {
        // `docker events` streams until killed: proves streaming output and kill-on-close.
        // --since replays from just before now, so the event cannot be missed by a late
        // subscription.
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        String name = "ev-" + System.nanoTime();
        try (DockerCli.Background events =
                docker.start(
                        "events",
                        "--since",
                        since,
                        "--format",
                        "{{.Type}} {{.Action}} {{.Actor.ID}}")) {
            docker.run("volume", "create", name).requireSuccess();
            try {
                events.awaitStdout("volume create " + name, Duration.ofSeconds(20));
            } finally {
                docker.run("volume", "rm", name).requireSuccess();
            }
            assertThat(events.isAlive()).isTrue();
        }
    }

    @Test
    void timeoutKillsTheCli(DockerCli docker) {
        DockerCli.Result r = docker.withTimeout(Duration.ofMillis(700)).run("events");
        assertThat(r.timedOut()).isTrue();
        assertThat(r.ok()).isFalse();
    }
}
