package dev.dockerproxy.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.testsupport.DockerCli;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The key client faults against the real Docker Engine: {@code docker logs -f} and {@code docker
 * exec -i} through the proxy, the CLI killed mid-stream, repeatedly. Every time the proxy releases
 * the connection (and with it the engine's), leaves no task behind, and keeps serving the next
 * command.
 */
@RequiresDockerEngine
class RealEngineFaultsTest {

    private static final int ROUNDS = 5;

    @Test
    void killingDockerLogsFollowAndExecMidStreamReleasesTheEngineConnectionAndTheProxyKeepsServing(
            DockerEngine engine, DockerCli direct) throws Exception {
        long t0 = System.nanoTime();
        String name = "faults-" + Long.toHexString(System.nanoTime());
        DockerCli.Result run =
                direct.run(
                        "run",
                        "-d",
                        "--name",
                        name,
                        "--pull",
                        "never",
                        "--network",
                        "none",
                        DockerEngine.BUSYBOX,
                        "sh",
                        "-c",
                        "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        try (FaultProxy proxy = FaultProxy.start(engine.socketPath())) {
            DockerCli viaProxy =
                    DockerCli.on("tcp://127.0.0.1:" + proxy.address().port())
                            .withTimeout(Duration.ofSeconds(30));
            assertThat(viaProxy.run("version").exitCode()).isZero();
            LeakProbe probe = proxy.probe(null);
            LeakProbe.Snapshot baseline = probe.settledBaseline(Duration.ofSeconds(10));
            for (int i = 0; i < ROUNDS; i++) {
                try (DockerCli.Background logs =
                        viaProxy.start("logs", "-f", "--tail", "1", name)) {
                    logs.awaitStdout("line", Duration.ofSeconds(15));
                    try (DockerCli.Background exec = viaProxy.start("exec", "-i", name, "cat")) {
                        exec.stdin().write(("hello " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        exec.stdin().flush();
                        exec.awaitStdout("hello " + i, Duration.ofSeconds(15));
                    } // killed by PID mid-session
                } // killed by PID mid-stream
                probe.awaitBack(
                        "real engine: docker logs -f and exec -i killed (checked after each round)",
                        baseline,
                        Duration.ofSeconds(10));
                DockerCli.Result tail = viaProxy.run("logs", "--tail", "1", name);
                assertThat(tail.exitCode()).as(tail.stderr()).isZero();
                assertThat(tail.stdout()).startsWith("line");
            }
            FaultsReport.survived(
                    "real engine: CLI killed mid-stream",
                    ROUNDS
                            + " rounds of `docker logs -f` and "
                            + "`docker exec -i` killed by PID through the proxy; connections and tasks released each time, "
                            + "next command served",
                    LeakProbe.since(t0));
        } finally {
            direct.run("rm", "-f", name);
        }
    }
}
