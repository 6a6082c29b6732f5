package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.testsupport.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mission's read-only configuration in front of a real engine: reads work, every write command
 * fails with the proxy's message, and the engine's state does not change.
 */
@RequiresDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyMissionEndToEndTest {

    static final Map<String, String> MISSION =
            Map.of(
                    "CONTAINERS",
                    "1",
                    "NETWORKS",
                    "1",
                    "SERVICES",
                    "1",
                    "TASKS",
                    "1",
                    "INFO",
                    "1",
                    "EVENTS",
                    "1",
                    "VERSION",
                    "1",
                    "PING",
                    "1");

    ProxyUnderTest proxy;
    DockerCli viaProxy;
    DockerCli direct;
    String existing;
    EngineState before;

    @BeforeAll
    void setUp(DockerEngine engine) {
        direct = DockerCli.on(engine.dockerHost());
        existing = "ro-target-" + System.nanoTime();
        direct.run(
                        "create",
                        "--name",
                        existing,
                        "--network=none",
                        "--pull=never",
                        DockerEngine.BUSYBOX,
                        "sleep",
                        "300")
                .requireSuccess();
        direct.run("start", existing).requireSuccess();
        proxy =
                ProxyUnderTest.start(
                        engine, TecnativaEnv.parse(MISSION).policy(), ProxyUnderTest.Transport.TCP);
        viaProxy = DockerCli.on(proxy.dockerHost()).withTimeout(Duration.ofSeconds(30));
        before = EngineState.capture(direct);
    }

    @AfterAll
    void tearDown() {
        try {
            assertThat(EngineState.capture(direct))
                    .as("engine state after all denied writes")
                    .isEqualTo(before);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            direct.run("rm", "-f", existing);
        }
    }

    @Test
    void readsWork() {
        viaProxy.run("version").requireSuccess();
        viaProxy.run("info").requireSuccess();
        assertThat(viaProxy.run("ps", "--format", "{{.Names}}").requireSuccess().stdout())
                .contains(existing);
        viaProxy.run("inspect", existing).requireSuccess();
        viaProxy.run("network", "ls").requireSuccess();
    }

    List<List<String>> writeCommands() {
        return List.of(
                List.of(
                        "run",
                        "--rm",
                        "--pull=never",
                        "--network=none",
                        DockerEngine.BUSYBOX,
                        "true"),
                List.of("create", "--pull=never", "--network=none", DockerEngine.BUSYBOX),
                List.of("rm", "-f", existing),
                List.of("stop", existing),
                List.of("kill", existing),
                List.of("restart", existing),
                List.of("pause", existing),
                List.of("rename", existing, "renamed"),
                List.of("exec", existing, "true"),
                List.of("logs", existing),
                List.of("export", existing),
                List.of("cp", existing + ":/etc/passwd", "-"),
                List.of("images"),
                List.of("rmi", DockerEngine.BUSYBOX),
                List.of("tag", DockerEngine.BUSYBOX, "local/other:tag"),
                List.of("save", DockerEngine.BUSYBOX),
                List.of("volume", "create", "ro-vol"),
                List.of("volume", "ls"),
                List.of("network", "create", "ro-net"),
                List.of("secret", "ls"),
                List.of("config", "ls"),
                List.of("system", "df"),
                List.of("container", "prune", "-f"));
    }

    @ParameterizedTest(name = "docker {0}")
    @MethodSource("writeCommands")
    void everyOtherCommandFailsWithTheProxysMessage(List<String> args) {
        DockerCli.Result r = viaProxy.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stderr())
                .as("%s", r)
                .contains("Error response from daemon")
                .contains("denied");
        assertThat(r.stderr()).as("the denial says what would allow it").contains("To allow it");
    }

    @Test
    void attachIsRefusedBeforeAnyStreamOpens(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Files.writeString(in, "should never arrive\n");
        DockerCli.Result r =
                viaProxy.withStdin(Files.readAllBytes(in))
                        .run("attach", "--sig-proxy=false", existing);
        assertThat(r.exitCode()).isNotZero();
        // For a refused hijack the docker CLI prints only the status, never the body
        // ("unable to upgrade to tcp, received 405"); the proxy's message is in its access log.
        assertThat(r.stderr()).containsPattern("received 40[35]");
        assertThat(r.stdout()).doesNotContain("should never arrive");
    }
}
