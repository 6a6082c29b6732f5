package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.testsupport.DockerCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake daemon as its own process, as a test suite in another language would run it. (The
 * packaged {@code fake-docker-daemon.jar} itself is tested in proxy-it, which runs after
 * packaging.)
 */
class StandaloneFakeDockerDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private final List<Process> processes = new ArrayList<>();
    private Path stderr;

    @AfterEach
    void killEverythingStarted() throws InterruptedException, IOException {
        for (Process p : processes) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (stderr != null) {
            Files.deleteIfExists(stderr);
        }
    }

    private Process launch(List<String> javaArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(javaArgs);
        // stderr apart from the one line on stdout: JDK 22+ may warn there about native access
        stderr = Files.createTempFile("fdd-stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        processes.add(p);
        return p;
    }

    private static List<String> fromClasspath(String... args) {
        List<String> command =
                new ArrayList<>(List.of("-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add(FakeDockerDaemonMain.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Reads the first line the process prints, failing after 20 s. */
    private static String firstLine(Process p) throws Exception {
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return out.readLine();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void printsItsTcpAddressServesTheCliAndJournalsJsonLines() throws Exception {
        Path journal = Files.createTempFile("journal", ".jsonl");
        Process daemon =
                launch(
                        fromClasspath(
                                "--listen", "tcp://127.0.0.1:0", "--journal", journal.toString()));

        String line = firstLine(daemon);
        assertThat(line).matches("fake-docker-daemon listening on tcp://127\\.0\\.0\\.1:\\d+");
        String dockerHost = line.substring("fake-docker-daemon listening on ".length());

        DockerCli.Result ps =
                DockerCli.on(dockerHost)
                        .withTimeout(Duration.ofSeconds(30))
                        .run("ps", "--format", "{{.Names}}");
        assertThat(ps.stdout().trim()).as(ps.toString()).isEqualTo("fake-web");
        List<JsonNode> entries = new ArrayList<>();
        for (String json : Files.readAllLines(journal)) {
            entries.add(JSON.readTree(json));
        }
        assertThat(entries)
                .extracting(e -> e.get("method").asText() + " " + e.get("path").asText())
                .contains("GET /containers/json");
        JsonNode list =
                entries.stream()
                        .filter(e -> e.get("path").asText().equals("/containers/json"))
                        .findFirst()
                        .orElseThrow();
        assertThat(list.get("apiVersion").asText()).isEqualTo("1.41");
        assertThat(list.get("target").asText()).startsWith("/v1.41/containers/json");
        assertThat(list.get("headers").toString()).contains("[\"User-Agent\",\"Docker-Client/");
        Files.delete(journal);
    }

    @Test
    void onAUnixSocketSigtermClosesCleanlyAndRemovesTheSocket() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fdds");
        Path socket = dir.resolve("docker.sock");
        Process daemon = launch(fromClasspath("--listen", "unix://" + socket));

        assertThat(firstLine(daemon)).isEqualTo("fake-docker-daemon listening on unix://" + socket);
        assertThat(
                        DockerCli.on("unix://" + socket)
                                .withTimeout(Duration.ofSeconds(30))
                                .run("version", "--format", "{{.Server.APIVersion}}")
                                .stdout()
                                .trim())
                .isEqualTo("1.41");

        ProcessHandle.of(daemon.pid()).orElseThrow().destroy(); // SIGTERM

        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(socket).doesNotExist();
        Files.deleteIfExists(dir);
    }

    @Test
    void aUsageErrorExitsWith2AndSaysWhatIsExpected() throws Exception {
        Process daemon = launch(fromClasspath("--listen", "npipe://x"));

        assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(2);
        assertThat(Files.readString(stderr))
                .contains("expected unix:///path/to/docker.sock or tcp://127.0.0.1:PORT");
    }
}
