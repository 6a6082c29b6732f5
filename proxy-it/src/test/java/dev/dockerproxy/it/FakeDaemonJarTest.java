package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.DockerCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code proxy-testkit/target/fake-docker-daemon.jar}, as a test suite in another
 * language runs it: {@code java -jar}, the printed address, the real docker CLI, a JSON-lines
 * journal, SIGTERM. (Runs here because proxy-it is built after proxy-testkit is packaged.)
 */
class FakeDaemonJarTest {

    @Test
    void theShadedJarServesTheDockerCliAndWritesItsJournal(@TempDir Path dir) throws Exception {
        Path jar =
                DockerEngine.findScript()
                        .getParent()
                        .getParent()
                        .resolve("proxy-testkit/target/fake-docker-daemon.jar");
        assertThat(jar).as("built by proxy-testkit's package phase").exists();
        Path journal = dir.resolve("journal.jsonl");
        Process daemon =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-jar",
                                jar.toString(),
                                "--listen",
                                "tcp://127.0.0.1:0",
                                "--journal",
                                journal.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            String line =
                    CompletableFuture.supplyAsync(
                                    () -> {
                                        try {
                                            return out.readLine();
                                        } catch (java.io.IOException e) {
                                            return null;
                                        }
                                    })
                            .get(30, TimeUnit.SECONDS);
            assertThat(line).startsWith("fake-docker-daemon listening on tcp://127.0.0.1:");
            String host = line.substring(line.lastIndexOf(' ') + 1);
            DockerCli.Result images =
                    DockerCli.on(host)
                            .run("images", "--format", "{{.Repository}}")
                            .requireSuccess();
            assertThat(images.stdout().strip()).isEqualTo("local/busybox");
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).as("SIGTERM stops it").isTrue();
        }
        assertThat(Files.readString(journal))
                .contains("\"method\":\"GET\"")
                .contains("/images/json");
    }
}
