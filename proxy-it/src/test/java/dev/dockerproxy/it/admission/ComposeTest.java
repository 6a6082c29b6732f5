package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.testsupport.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's docker-compose 1.29 (python, {@code /usr/bin/docker-compose}; installed by {@code
 * scripts/docker-engine.sh install}) brings a small project up and down through the proxy: a named
 * volume, a bind of a directory of the project, and one service in the network namespace of another
 * ({@code network_mode: service:first}, sent as {@code container:<id>}).
 */
@RequiresDockerEngine
class ComposeTest {

    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

    /** What compose 1.29 calls for up/ps/down here; VERSION and PING are on by default. */
    static final String[] POLICY = {
        "CONTAINERS", "IMAGES", "VOLUMES", "INFO", "POST", "ALLOW_START", "ALLOW_STOP"
    };

    static final String PROJECT_FILE =
            String.join(
                    "\n",
                    "version: \"2.4\"",
                    "services:",
                    "  first:",
                    "    image: " + Admission.BUSYBOX,
                    "    command: [\"sleep\", \"300\"]",
                    "    network_mode: none",
                    "    volumes:",
                    "      - shared:/shared",
                    "      - ./data:/data",
                    "  second:",
                    "    image: " + Admission.BUSYBOX,
                    "    command: [\"sleep\", \"300\"]",
                    "    network_mode: \"service:first\"",
                    "    volumes:",
                    "      - shared:/shared:ro",
                    "volumes:",
                    "  shared: {}",
                    "");

    private Admission fx;

    @BeforeEach
    void setUp(DockerEngine engine) {
        fx = new Admission(engine);
        assertThat(COMPOSE)
                .as("Debian's docker-compose; install it with scripts/docker-engine.sh install")
                .isExecutable();
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void composeUpPsAndDownWorkThroughTheProxy(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("data"));
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), PROJECT_FILE);
        String project = fx.prefix();
        // compose waits for each answer; "down -t 1" because sleep ignores SIGTERM (else 10 s per
        // container)
        DockerCli compose =
                DockerCli.on(fx.proxy(Admission.env(POLICY)).dockerHost())
                        .withBinary(COMPOSE.toString())
                        .withEnv("COMPOSE_HTTP_TIMEOUT", "30")
                        .withTimeout(Duration.ofSeconds(90));

        compose.run("-f", file.toString(), "-p", project, "up", "-d").requireSuccess();
        JsonNode first = fx.inspect(project + "_first_1");
        JsonNode second = fx.inspect(project + "_second_1");
        assertThat(first.path("State").path("Running").asBoolean()).as("first: %s", first).isTrue();
        assertThat(second.path("State").path("Running").asBoolean())
                .as("second: %s", second)
                .isTrue();
        assertThat(first.path("HostConfig").path("NetworkMode").asText()).isEqualTo("none");
        assertThat(second.path("HostConfig").path("NetworkMode").asText())
                .isEqualTo("container:" + first.path("Id").asText());
        assertThat(mount(first, "/data").path("Type").asText()).isEqualTo("bind");
        assertThat(mount(first, "/data").path("Source").asText())
                .isEqualTo(dir.resolve("data").toString());
        assertThat(mount(first, "/shared").path("Name").asText()).isEqualTo(project + "_shared");
        assertThat(mount(second, "/shared").path("Name").asText()).isEqualTo(project + "_shared");
        assertThat(Admission.dangers(second))
                .containsExactlyInAnyOrder(
                        "HostConfig.NetworkMode=container:" + first.path("Id").asText(),
                        "State.Running=true");

        String ps =
                compose.run("-f", file.toString(), "-p", project, "ps").requireSuccess().stdout();
        assertThat(ps).contains(project + "_first_1", project + "_second_1", "Up");

        compose.run("-f", file.toString(), "-p", project, "down", "-v", "-t", "1").requireSuccess();
        assertThat(fx.direct().inspectContainer(project + "_first_1")).isEmpty();
        assertThat(fx.direct().inspectContainer(project + "_second_1")).isEmpty();
        assertThat(fx.direct().inspectVolume(project + "_shared")).isEmpty();
    }

    private static JsonNode mount(JsonNode container, String destination) {
        for (JsonNode m : container.path("Mounts")) {
            if (m.path("Destination").asText().equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + destination + " in " + container.path("Mounts"));
    }
}
