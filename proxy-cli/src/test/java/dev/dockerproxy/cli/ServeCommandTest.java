package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private FakeUpstream fakeDaemon;
    private final AtomicInteger daemonRequests = new AtomicInteger();

    /**
     * A daemon answering every request on every connection with a Docker-like {@code /_ping}
     * response.
     */
    @BeforeEach
    void startFakeDaemon() throws IOException {
        fakeDaemon =
                FakeUpstream.tcp(
                        conn -> {
                            while (conn.readRequest() != null) {
                                daemonRequests.incrementAndGet();
                                conn.write(
                                        "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\n"
                                                + "Content-Length: 2\r\n\r\nOK");
                            }
                        });
    }

    @AfterEach
    void stopFakeDaemon() throws IOException {
        fakeDaemon.close();
    }

    private static void await(String what, BooleanSupplier condition) {
        Poll.until(DEADLINE, what, condition);
    }

    /** A serve run on a background thread with captured output. */
    private static final class Serving {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<ProxyRunner.Running> running = new CompletableFuture<>();
        final CompletableFuture<Integer> exit;

        Serving(Map<String, String> env, String... args) {
            CommandLine cl = DockerSocketProxyCommand.commandLine(env, running::complete);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        }

        /**
         * As {@code Main} runs it: {@link DockerSocketProxyCommand#execute}, without the
         * subcommands when it can.
         */
        Serving(boolean asMain, Map<String, String> env, String... args) {
            PrintWriter o = new PrintWriter(out, true);
            PrintWriter e = new PrintWriter(err, true);
            exit =
                    CompletableFuture.supplyAsync(
                            () ->
                                    DockerSocketProxyCommand.execute(
                                            env, running::complete, o, e, args));
        }

        ProxyRunner.Running awaitStarted() throws Exception {
            return CompletableFuture.anyOf(running, exit)
                    .thenApply(
                            x -> {
                                if (!running.isDone()) {
                                    throw new AssertionError(
                                            "serve exited early with " + x + ": " + err);
                                }
                                return running.join();
                            })
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void serveForwardsAllowedPingAndWritesOneAccessLogLinePerRequest() throws Exception {
        Serving serving =
                new Serving(
                        Map.of("PING", "1"),
                        "serve",
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + fakeDaemon.port());
        ProxyRunner.Running running = serving.awaitStarted();
        String address = running.boundAddresses().get(0);
        assertThat(address).startsWith("tcp://127.0.0.1:");
        URI base = URI.create("http://" + address.substring("tcp://".length()));

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ping =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/v1.41/_ping")).build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> denied =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/v1.41/containers/json")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("OK");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("CONTAINERS=1");
        await("two access log lines", () -> serving.out.toString().contains("containers.list"));
        assertThat(serving.out.toString())
                .contains("listening on " + address)
                .contains("upstream tcp://127.0.0.1:" + fakeDaemon.port())
                .containsPattern(
                        "(?m)^\\S+Z tcp:127\\.0\\.0\\.1:\\d+ GET /v1\\.41/_ping endpoint=system\\.ping "
                                + "decision=allow rule=PING source=env\\\\x20PING=1 status=200 bytes=2 duration=\\d+ms$")
                .containsPattern(
                        "(?m) GET /v1\\.41/containers/json endpoint=containers\\.list decision=deny "
                                + "rule=default-deny .* status=403 ");
        assertThat(daemonRequests.get()).isEqualTo(1);

        running.stop();
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.OK);
        assertThat(serving.out.toString())
                .endsWith("docker-socket-proxy stopped" + System.lineSeparator());
    }

    @Test
    void reloadSwapsThePolicyAndABadFileKeepsTheOldOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path policy = dir.resolve("policy.yaml");
        java.nio.file.Files.writeString(
                policy, "rules:\n  - action: allow\n    endpoints: [system.ping]\n");
        Serving serving =
                new Serving(
                        Map.of(),
                        "serve",
                        "--policy",
                        policy.toString(),
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + fakeDaemon.port());
        ProxyRunner.Running running = serving.awaitStarted();
        String address = running.boundAddresses().get(0);
        URI ping = URI.create("http://" + address.substring("tcp://".length()) + "/_ping");
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.IntSupplier status =
                () -> {
                    try {
                        return http.send(
                                        HttpRequest.newBuilder(ping).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                };
        assertThat(status.getAsInt()).isEqualTo(200);

        java.nio.file.Files.writeString(
                policy, "rules:\n  - action: allow\n    endpoint: [system.ping]\n");
        assertThat(running.reload()).isFalse();
        assertThat(serving.err.toString())
                .contains("reload failed, keeping the previous policy")
                .contains("policy.yaml:3:5")
                .contains("unknown rule key 'endpoint'");
        assertThat(status.getAsInt()).as("the old policy is still in force").isEqualTo(200);

        java.nio.file.Files.writeString(
                policy, "rules:\n  - action: allow\n    endpoints: [system.version]\n");
        assertThat(running.reload()).isTrue();
        assertThat(serving.err.toString()).contains("policy reloaded from file " + policy);
        assertThat(status.getAsInt()).as("the new policy no longer allows ping").isEqualTo(403);

        running.stop();
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void jsonLogFormatWritesParseableLines() throws Exception {
        Serving serving =
                new Serving(
                        Map.of(),
                        "--log-format",
                        "json",
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + fakeDaemon.port());
        ProxyRunner.Running running = serving.awaitStarted();
        String address = running.boundAddresses().get(0);
        try (Socket s =
                new Socket(
                        "127.0.0.1",
                        Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))) {
            s.getOutputStream()
                    .write(
                            "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 200");
        }
        await(
                "a JSON access log line",
                () -> serving.out.toString().contains("\"endpoint\":\"system.ping\""));
        String line =
                serving.out
                        .toString()
                        .lines()
                        .filter(l -> l.startsWith("{"))
                        .findFirst()
                        .orElseThrow();
        assertThat(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(line)
                                .get("decision")
                                .asText())
                .isEqualTo("allow");
        running.stop();
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void serveReportsWhatThePolicyAllowsAndTecnativaDifferences() throws Exception {
        Map<String, String> env = Map.of("CONTAINERS", "1", "POST", "1");
        Serving serving =
                new Serving(
                        env,
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + fakeDaemon.port());
        ProxyRunner.Running running = serving.awaitStarted();
        running.stop();
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.OK);
        assertThat(serving.out.toString())
                .contains("policy env (environment variables): allows ")
                .containsPattern("allows: .*CONTAINERS \\d+/\\d+ \\(read, write\\)")
                .contains("warning: EXEC is required for exec create")
                .contains("warning: CONTAINERS=1 no longer allows container logs");
    }

    @Test
    void mainsEntryPointServesWithTheSameReportAndAccessLog() throws Exception {
        Serving serving =
                new Serving(
                        true,
                        Map.of("PING", "1"),
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + fakeDaemon.port(),
                        "--log-level",
                        "info");
        ProxyRunner.Running running = serving.awaitStarted();
        URI base =
                URI.create(
                        "http://" + running.boundAddresses().get(0).substring("tcp://".length()));
        HttpResponse<String> ping =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(base.resolve("/v1.41/_ping")).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        await("the access log line", () -> serving.out.toString().contains("endpoint=system.ping"));
        running.stop();
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.OK);
        assertThat(serving.out.toString())
                .contains("listening on " + running.boundAddresses().get(0))
                .contains("policy env (environment variables): allows ")
                .contains("docker-socket-proxy stopped");
        assertThat(serving.err.toString()).isEmpty();
    }

    @Test
    void unreachableUpstreamExitsFive() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Serving serving =
                new Serving(
                        Map.of(),
                        "--listen",
                        "tcp://127.0.0.1:0",
                        "--upstream",
                        "tcp://127.0.0.1:" + closedPort);
        assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(ExitCodes.UPSTREAM);
        assertThat(serving.err.toString())
                .contains("upstream tcp://127.0.0.1:" + closedPort + " is unreachable")
                .contains("--upstream");
    }

    @Test
    void addressInUseExitsFour() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Serving serving =
                    new Serving(
                            Map.of(),
                            "--listen",
                            "tcp://127.0.0.1:" + taken.getLocalPort(),
                            "--upstream",
                            "tcp://127.0.0.1:" + fakeDaemon.port());
            assertThat(serving.exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo(ExitCodes.LISTEN);
            assertThat(serving.err.toString()).contains("cannot listen").contains("--listen");
        }
    }

    @Test
    void badListenFlagExitsTwoBeforeBinding() {
        CliRun.Result r = CliRun.run(Map.of(), "serve", "--listen", "0.0.0.0:2375");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err())
                .contains(
                        "configuration error: --listen: cannot parse listen address '0.0.0.0:2375'");
    }
}
