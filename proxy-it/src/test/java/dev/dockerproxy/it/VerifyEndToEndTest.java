package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.cli.DockerSocketProxyCommand;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Rule;
import dev.dockerproxy.testsupport.DockerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docker-socket-proxy verify} against a real engine: a full run through the proxy with a
 * policy that allows everything, and a full run straight at the engine, change nothing (containers,
 * images, volumes, networks) even though every probe reaches the daemon. A stopped container is
 * present, so a prune, a delete or a start would show up.
 */
@RequiresDockerEngine
class VerifyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {}

    private static Run verify(String target) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DockerSocketProxyCommand.commandLine(Map.of());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("verify", "--target", target, "--format", "json", "--timeout", "20s");
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aFullVerifyRunThroughAnAllowEverythingProxyAndDirectlyChangesNothingOnTheEngine(
            DockerEngine engine) throws Exception {
        DockerCli direct = DockerCli.on(engine.dockerHost());
        String stopped = "verify-e2e-stopped-" + System.nanoTime();
        direct.run(
                        "create",
                        "--name",
                        stopped,
                        "--network=none",
                        "--pull=never",
                        DockerEngine.BUSYBOX,
                        "true")
                .requireSuccess();
        try {
            EngineState before = EngineState.capture(direct);
            Policy allowAll =
                    Policy.builder()
                            .name("allow-everything")
                            .rules(List.of(Rule.allow().name("everything").build()))
                            .build();

            Run viaProxy;
            try (ProxyUnderTest proxy =
                    ProxyUnderTest.start(engine, allowAll, ProxyUnderTest.Transport.TCP)) {
                viaProxy = verify(proxy.dockerHost());
            }
            EngineState afterProxyRun = EngineState.capture(direct);
            Run straight = verify(engine.dockerHost());
            EngineState afterDirectRun = EngineState.capture(direct);

            before.requireUnchanged(afterProxyRun);
            before.requireUnchanged(afterDirectRun);
            assertThat(afterDirectRun).isEqualTo(before);
            for (Run run : List.of(viaProxy, straight)) {
                assertThat(run.exitCode()).as(run.err()).isZero();
                JsonNode report = JSON.readTree(run.out());
                assertThat(report.get("summary").get("blocked").asInt()).as(run.out()).isZero();
                assertThat(report.get("summary").get("reachable").asInt()).isGreaterThan(80);
                assertThat(report.get("apiVersion").asText()).isNotEmpty();
                JsonNode classic = report.get("classicTests");
                assertThat(classic.get("GET /containers/json").get("status").asInt())
                        .isEqualTo(200);
                assertThat(classic.get("POST /containers/create").get("result").asText())
                        .isEqualTo("reachable");
                assertThat(classic.get("POST /containers/create").get("status").asInt())
                        .isBetween(400, 499);
                assertThat(classic.get("DELETE /containers/{name:.*}").get("status").asInt())
                        .isEqualTo(404);
                assertThat(classic.get("DELETE /containers/{name:.*}").get("detail").asText())
                        .contains("No such container: dsp-verify-nonexistent-");
                assertThat(report.get("hostAudit").get("available").asBoolean()).isTrue();
            }
        } finally {
            direct.run("rm", "-f", stopped);
        }
    }
}
