package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.policy.EndpointCatalog;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.server.DockerSocketProxy;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import dev.dockerproxy.testkit.DockerEngineDispatcher;
import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeDockerDaemon daemon;
    private final List<DockerSocketProxy> proxies = new ArrayList<>();

    @BeforeEach
    void startDaemon() throws IOException {
        daemon = FakeDockerDaemon.onTcp().start();
    }

    @AfterEach
    void stopAll() {
        proxies.forEach(DockerSocketProxy::close);
        daemon.close();
    }

    private String proxy(Policy policy) throws IOException {
        DockerSocketProxy p =
                new DockerSocketProxy(
                        ProxyConfig.builder()
                                .listen(ListenAddress.tcp("127.0.0.1", 0))
                                .upstream(UpstreamAddress.parse(daemon.dockerHost()))
                                .policy(policy)
                                .build());
        proxies.add(p);
        p.start();
        return p.boundAddress().toString();
    }

    private static JsonNode json(CliRun.Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    private static Map<String, JsonNode> probesById(JsonNode report) {
        return java.util.stream.StreamSupport.stream(report.get("probes").spliterator(), false)
                .collect(
                        Collectors.toMap(
                                p -> p.get("endpoint").asText() + " " + p.get("method").asText(),
                                p -> p,
                                (a, b) -> a));
    }

    @Test
    void missionPolicyReportShowsTheClassicTestsAndNoDangerousOperation() throws IOException {
        String target = proxy(TecnativaEnv.parse(CliRun.MISSION_ENV).policy());

        CliRun.Result r = CliRun.run(Map.of(), "verify", "--target", target);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .contains(
                        "# Docker socket proxy security verification",
                        "## Summary",
                        "## Classic tests",
                        "## Allowed operations (reachable)",
                        "## Blocked operations",
                        "## DANGEROUS operations reachable",
                        "## Not probed (unsafe)",
                        "## Host audit");
        assertThat(r.out())
                .containsPattern(
                        "\\| `GET /v1\\.41/containers/json\\?limit=1` \\| 200 \\| reachable");
        assertThat(r.out())
                .containsPattern(
                        "\\| `POST /v1\\.41/containers/create\\?name=[^`]+` \\| 405 \\| blocked");
        assertThat(r.out())
                .containsPattern(
                        "\\| `DELETE /v1\\.41/containers/dsp-verify-nonexistent-[0-9a-f]+` \\| "
                                + "405 \\| blocked");
        assertThat(r.out())
                .contains("None: every exec, attach, archive, export, logs, secret, config");
        assertThat(r.out()).contains("Verdict: **OK: no dangerous endpoint is reachable**");
        assertThat(daemon.requests())
                .as("only reads reached the daemon")
                .allSatisfy(req -> assertThat(req.method()).isIn("GET", "HEAD"));
    }

    @Test
    void jsonReportClassifiesEveryCatalogEndpointAgainstTheMissionPolicy() throws IOException {
        Policy mission = TecnativaEnv.parse(CliRun.MISSION_ENV).policy();
        String target = proxy(mission);

        CliRun.Result r = CliRun.run(Map.of(), "verify", "--target", target, "--format", "json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = json(r);
        Set<String> catalog =
                EndpointCatalog.STANDARD.endpoints().stream()
                        .filter(e -> !e.method().equals("OPTIONS"))
                        .map(e -> e.id() + " " + e.method())
                        .collect(Collectors.toSet());
        Map<String, JsonNode> probes = probesById(report);
        assertThat(probes.keySet()).isEqualTo(catalog);
        for (JsonNode p : probes.values()) {
            String result = p.get("result").asText();
            if (result.equals("not-probed")) {
                continue;
            }
            boolean allowed =
                    mission.decide(
                                    p.get("method").asText(),
                                    p.get("request").asText(),
                                    dev.dockerproxy.policy.ClientIdentity.LOCAL)
                            .allowed();
            assertThat(result).as("%s", p).isEqualTo(allowed ? "reachable" : "blocked");
        }
        assertThat(probes.get("containers.exec.create POST").get("result").asText())
                .isEqualTo("blocked");
        assertThat(probes.get("containers.inspect GET").get("result").asText())
                .isEqualTo("reachable");
        assertThat(probes.get("containers.inspect GET").get("status").asInt()).isEqualTo(404);
        assertThat(probes.get("images.create POST").get("result").asText()).isEqualTo("not-probed");
        assertThat(report.get("classicTests").get("POST /containers/create").get("status").asInt())
                .isEqualTo(405);
        assertThat(report.get("dangerousReachable")).isEmpty();
        assertThat(report.get("summary").get("blocked").asInt()).isPositive();
    }

    @Test
    void expectExitsZeroWhenTheTargetEnforcesThePresetAndSixListingEachDifferenceOtherwise()
            throws IOException {
        String target = proxy(Presets.get("traefik"));

        CliRun.Result same =
                CliRun.run(Map.of(), "verify", "--target", target, "--expect", "traefik");
        CliRun.Result other =
                CliRun.run(
                        Map.of(),
                        "verify",
                        "--target",
                        target,
                        "--expect",
                        "read-only",
                        "--format",
                        "json");

        assertThat(same.exitCode()).as(same.out()).isEqualTo(ExitCodes.OK);
        assertThat(same.out())
                .contains(
                        "## Differences from the expected policy (preset traefik)",
                        "None: every probed endpoint behaves as the expected policy says.");
        assertThat(other.exitCode()).isEqualTo(ExitCodes.MISMATCH).isEqualTo(6);
        assertThat(other.err()).contains("differ from preset read-only");
        JsonNode expected = json(other).get("expected");
        assertThat(expected.get("matches").asBoolean()).isFalse();
        List<String> diffs = new ArrayList<>();
        expected.get("differences").forEach(d -> diffs.add(d.asText()));
        assertThat(diffs)
                .anySatisfy(
                        d ->
                                assertThat(d)
                                        .contains("(images.list)")
                                        .contains("expected allowed, but it is blocked"));
        assertThat(diffs).noneSatisfy(d -> assertThat(d).contains("(containers.list)"));
    }

    @Test
    void expectEnvComparesWithTheTecnativaPolicyOfTheCurrentEnvironment() throws IOException {
        String target = proxy(TecnativaEnv.parse(CliRun.MISSION_ENV).policy());

        CliRun.Result same =
                CliRun.run(CliRun.MISSION_ENV, "verify", "--target", target, "--expect", "env");
        CliRun.Result wider =
                CliRun.run(
                        Map.of("CONTAINERS", "1", "POST", "1"),
                        "verify",
                        "--target",
                        target,
                        "--expect",
                        "env");

        assertThat(same.exitCode()).as(same.out()).isZero();
        assertThat(wider.exitCode()).isEqualTo(ExitCodes.MISMATCH);
        assertThat(wider.out())
                .contains("(containers.create): expected allowed, but it is blocked (HTTP 405");
    }

    @Test
    void expectPolicyFileIsComparedLikeAPreset(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = dir.resolve("policy.yaml");
        java.nio.file.Files.writeString(file, "version: 1\nrules:\n  - preset: homepage\n");
        String target = proxy(Presets.get("homepage"));

        assertThat(
                        CliRun.run(
                                        Map.of(),
                                        "verify",
                                        "--target",
                                        target,
                                        "--expect-policy",
                                        file.toString())
                                .exitCode())
                .isZero();
        assertThat(
                        CliRun.run(Map.of(), "verify", "--target", target, "--expect", "deny-all")
                                .exitCode())
                .isEqualTo(ExitCodes.MISMATCH);
    }

    @Test
    void directlyAgainstADaemonEveryProbedEndpointIsReachableAndNoUnsafeRequestIsSent()
            throws IOException {
        CliRun.Result r =
                CliRun.run(Map.of(), "verify", "--target", daemon.dockerHost(), "--format", "json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode report = json(r);
        assertThat(report.get("summary").get("blocked").asInt()).isZero();
        assertThat(report.get("summary").get("inconclusive").asInt()).isZero();
        assertThat(report.get("verdict").asText()).startsWith("EXPOSED");
        Set<String> dangerous = new HashSet<>();
        report.get("dangerousReachable").forEach(d -> dangerous.add(d.asText()));
        assertThat(dangerous)
                .contains(
                        "containers.exec.create",
                        "exec.start",
                        "containers.archive.get",
                        "containers.archive.put",
                        "containers.archive.head",
                        "containers.export",
                        "containers.attach",
                        "containers.attach.ws",
                        "containers.logs",
                        "containers.create",
                        "containers.delete",
                        "containers.kill",
                        "secrets.list",
                        "secrets.create",
                        "configs.list",
                        "images.save",
                        "images.save.one",
                        "build.create",
                        "plugins.enable",
                        "swarm.unlockkey",
                        "debug.vars",
                        "volumes.create",
                        "networks.create");
        for (RecordedRequest req : daemon.requests()) {
            assertThat(req.path())
                    .as("never a pull, prune, swarm change or registry call")
                    .doesNotEndWith("/prune")
                    .isNotEqualTo("/images/create")
                    .doesNotStartWith("/swarm/init")
                    .doesNotStartWith("/swarm/leave")
                    .doesNotStartWith("/swarm/join")
                    .isNotEqualTo("/auth")
                    .doesNotEndWith("/push")
                    .isNotEqualTo("/plugins/pull");
        }
        RecordedRequest create =
                daemon.requests().stream()
                        .filter(q -> q.path().equals("/containers/create"))
                        .findFirst()
                        .orElseThrow();
        assertThat(create.queryParameter("name")).isEqualTo("/invalid//name");
        assertThat(create.bodyUtf8()).isEqualTo("{\"Image\":\"\"}");
    }

    @Test
    void hostAuditFindsDirectSocketMountsPrivilegedAndHostNamespacesAndTheInternalProxyNetwork()
            throws IOException {
        daemon.setDispatcher(AuditFixture.dispatcher(true));
        String target = proxy(Presets.get("traefik"));

        CliRun.Result r =
                CliRun.run(
                        Map.of(),
                        "verify",
                        "--target",
                        target,
                        "--proxy-container",
                        "docker-socket-proxy");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Seen through target: 4 container(s).")
                .contains(
                        "- Containers mounting the Docker socket directly (not through the proxy): "
                                + "traefik: /var/run/docker.sock -> /var/run/docker.sock (read-write)")
                .contains("- Privileged containers: miner")
                .contains("- Containers on the host network: miner")
                .contains("- Containers in the host PID namespace: debugger")
                .contains("- Proxy container: docker-socket-proxy")
                .contains("- Proxy network: internal (docker_api)");
    }

    @Test
    void hostAuditUsesDockerHostWhenTheTargetHidesContainersAndReportsANonInternalProxyNetwork()
            throws IOException {
        daemon.setDispatcher(AuditFixture.dispatcher(false));
        String target = proxy(Presets.get("deny-all"));

        CliRun.Result r =
                CliRun.run(
                        Map.of(),
                        "verify",
                        "--target",
                        target,
                        "--docker-host",
                        daemon.dockerHost(),
                        "--proxy-container",
                        "docker-socket-proxy",
                        "--format",
                        "json");

        JsonNode audit = json(r).get("hostAudit");
        assertThat(audit.get("available").asBoolean()).isTrue();
        assertThat(audit.get("source").asText()).isEqualTo("--docker-host " + daemon.dockerHost());
        assertThat(audit.get("proxyNetwork").asText()).startsWith("not internal: docker_api");
        assertThat(audit.get("socketMounts").get(0).asText()).startsWith("traefik:");
    }

    @Test
    void hostAuditIsUnavailableWhenTheTargetHidesContainersAndNoDockerHostIsGiven()
            throws IOException {
        String target = proxy(Presets.get("deny-all"));

        CliRun.Result r = CliRun.run(Map.of(), "verify", "--target", target);

        assertThat(r.out())
                .contains(
                        "Not available: the target does not allow GET /containers/json; "
                                + "give --docker-host URL for direct read access.");
        assertThat(daemon.requestCount()).as("deny-all lets nothing through").isZero();
    }

    @Test
    void anUnreachableTargetExitsOneWithTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }

        CliRun.Result r =
                CliRun.run(
                        Map.of(),
                        "verify",
                        "--target",
                        "tcp://127.0.0.1:" + port,
                        "--timeout",
                        "2s");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(r.err()).contains("cannot reach the target tcp://127.0.0.1:" + port);
    }

    @Test
    void anUnknownExpectationIsAConfigurationError() {
        CliRun.Result r =
                CliRun.run(
                        Map.of(), "verify", "--target", "tcp://127.0.0.1:1", "--expect", "lenient");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("--expect").contains("use env or one of read-only, traefik");
    }

    @Test
    void healthIsZeroWhenPingGoesThroughAndOneWhenThePolicyRefusesIt() throws IOException {
        String open = proxy(Presets.get("traefik"));
        String closed = proxy(Presets.get("deny-all"));

        CliRun.Result ok = CliRun.run(Map.of(), "health", "--target", open);
        CliRun.Result refused = CliRun.run(Map.of(), "health", "--target", closed);

        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("healthy: " + open + " answered GET /_ping with 200 OK");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(refused.err())
                .contains("answered GET /_ping with 405 (does the policy allow PING?)");
    }

    /**
     * A host with four containers: the proxy, Traefik mounting the socket, a privileged
     * host-network one...
     */
    static final class AuditFixture {
        static DockerEngineDispatcher dispatcher(boolean internal) {
            String proxy =
                    container(
                            "docker-socket-proxy",
                            false,
                            "default",
                            "",
                            "{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\",\"Destination\":\"/var/run/docker.sock\","
                                    + "\"RW\":false}",
                            "docker_api");
            String traefik =
                    container(
                            "traefik",
                            false,
                            "default",
                            "",
                            "{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\",\"Destination\":\"/var/run/docker.sock\","
                                    + "\"RW\":true}",
                            "docker_api");
            String miner = container("miner", true, "host", "", "", null);
            String debugger = container("debugger", false, "default", "host", "", null);
            List<String> all = List.of(proxy, traefik, miner, debugger);
            DockerEngineDispatcher.Builder b =
                    DockerEngineDispatcher.builder()
                            .route(
                                    "GET",
                                    "/containers/json",
                                    FakeResponse.json(
                                            200,
                                            "["
                                                    + all.stream()
                                                            .map(c -> "{\"Id\":\"" + id(c) + "\"}")
                                                            .collect(Collectors.joining(","))
                                                    + "]"))
                            .route(
                                    "GET",
                                    "/networks/{id}",
                                    FakeResponse.json(
                                            200,
                                            "{\"Name\":\"docker_api\",\"Id\":\"net1\","
                                                    + "\"Internal\":"
                                                    + internal
                                                    + "}"));
            for (String c : all) {
                b.route("GET", "/containers/" + id(c) + "/json", FakeResponse.json(200, c));
            }
            return b.build();
        }

        private static String id(String container) {
            int i = container.indexOf("\"Id\":\"") + 6;
            return container.substring(i, container.indexOf('"', i));
        }

        private static String container(
                String name,
                boolean privileged,
                String networkMode,
                String pidMode,
                String mount,
                String network) {
            String id = Integer.toHexString(name.hashCode()) + "0000aaaabbbb";
            String nets =
                    network == null
                            ? "{}"
                            : "{\""
                                    + network
                                    + "\":{\"NetworkID\":\"net1\",\"IPAddress\":"
                                    + "\"172.30.0."
                                    + (name.length())
                                    + "\",\"Aliases\":[\""
                                    + name
                                    + "\"]}}";
            return "{\"Id\":\""
                    + id
                    + "\",\"Name\":\"/"
                    + name
                    + "\",\"Config\":{\"Hostname\":\""
                    + id
                    + "\"},"
                    + "\"HostConfig\":{\"Privileged\":"
                    + privileged
                    + ",\"NetworkMode\":\""
                    + networkMode
                    + "\",\"PidMode\":\""
                    + pidMode
                    + "\"},\"Mounts\":["
                    + mount
                    + "],"
                    + "\"NetworkSettings\":{\"Networks\":"
                    + nets
                    + ",\"Ports\":{}}}";
        }
    }
}
