package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testsupport.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command, as operators run it: SIGHUP re-reads the policy file; a broken file keeps
 * the policy in force (invariant 5).
 */
class SighupReloadTest {

    private static Path jar() {
        Path p =
                DockerEngine.findScript()
                        .getParent()
                        .getParent()
                        .resolve("proxy-cli/target/docker-socket-proxy.jar");
        assertThat(p).as("run 'mvn package' (or verify) so the CLI jar exists").exists();
        return p;
    }

    /**
     * The packaged proxy, started; its output after the "listening on" line is collected in {@code
     * rest}.
     */
    private record Running(Process process, String hostPort, StringBuilder rest) {}

    private static Running start(Path policy, FakeDockerDaemon daemon) throws Exception {
        Process p =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-jar",
                                jar().toString(),
                                "serve",
                                "--policy",
                                policy.toString(),
                                "--listen",
                                "tcp://127.0.0.1:0",
                                "--upstream",
                                daemon.dockerHost())
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> listening =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                for (String line; (line = out.readLine()) != null; ) {
                                    if (line.startsWith("listening on tcp://")) {
                                        return line.substring("listening on tcp://".length())
                                                .trim();
                                    }
                                }
                                return null;
                            } catch (java.io.IOException e) {
                                return null;
                            }
                        });
        String hostPort = listening.get(30, TimeUnit.SECONDS);
        assertThat(hostPort).as("the proxy printed its address").isNotNull();
        StringBuilder rest = new StringBuilder();
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                for (String line; (line = out.readLine()) != null; ) {
                                    synchronized (rest) {
                                        rest.append(line).append('\n');
                                    }
                                }
                            } catch (java.io.IOException ignored) {
                                // process ended
                            }
                        },
                        "proxy-output");
        drain.setDaemon(true);
        drain.start();
        return new Running(p, hostPort, rest);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sighupReloadsThePolicyFileAndABrokenFileKeepsTheOldPolicy(@TempDir Path dir)
            throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "rules:\n  - action: allow\n    endpoints: [system.ping]\n");
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start()) {
            Running r = start(policy, daemon);
            Process p = r.process();
            try {
                URI ping = URI.create("http://" + r.hostPort() + "/_ping");
                HttpClient http =
                        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                assertThat(status(http, ping)).isEqualTo(200);

                Files.writeString(
                        policy, "rules:\n  - action: allow\n    endpoint: [system.version]\n");
                hup(p);
                awaitOutput(r.rest(), "reload failed, keeping the previous policy");
                assertThat(status(http, ping))
                        .as("a broken file keeps the old policy")
                        .isEqualTo(200);

                Files.writeString(
                        policy, "rules:\n  - action: allow\n    endpoints: [system.version]\n");
                hup(p);
                awaitOutput(r.rest(), "policy reloaded from file");
                assertThat(status(http, ping))
                        .as("the reloaded policy no longer allows ping")
                        .isEqualTo(403);
                assertThat(p.isAlive()).isTrue();
            } finally {
                stop(p);
            }
        }
    }

    /**
     * SIGTERM (what {@code docker stop} sends) closes the proxy through its shutdown hook: every
     * access log line still queued is written, then the last line says it stopped, before the JVM
     * halts.
     */
    @Test
    void sigtermWritesTheQueuedAccessLogAndSaysStopped(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "rules:\n  - action: allow\n    endpoints: [system.ping]\n");
        try (FakeDockerDaemon daemon = new FakeDockerDaemon().start()) {
            Running r = start(policy, daemon);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            int requests = 50;
            for (int i = 0; i < requests; i++) {
                assertThat(status(http, URI.create("http://" + r.hostPort() + "/_ping?n=" + i)))
                        .isEqualTo(200);
            }
            // not Process.destroy(): it also closes this end of the output pipe, so the last lines
            // would be lost
            signal(r.process(), "TERM");
            assertThat(r.process().waitFor(20, TimeUnit.SECONDS))
                    .as("the proxy exits on SIGTERM")
                    .isTrue();
            assertThat(r.process().exitValue())
                    .as("exit status after SIGTERM (128 + 15)")
                    .isEqualTo(143);
            awaitOutput(r.rest(), "docker-socket-proxy stopped");
            String out;
            synchronized (r.rest()) {
                out = r.rest().toString();
            }
            for (int i = 0; i < requests; i++) {
                assertThat(out)
                        .as("access log line of request %d", i)
                        .contains("/_ping?n=" + i + " ");
            }
            assertThat(out).endsWith("docker-socket-proxy stopped\n");
        }
    }

    private static void hup(Process p) throws Exception {
        signal(p, "HUP");
    }

    private static void signal(Process p, String signal) throws Exception {
        // bash's builtin kill: no dependency on procps
        Process kill =
                new ProcessBuilder("bash", "-c", "kill -" + signal + " " + p.pid())
                        .inheritIO()
                        .start();
        assertThat(kill.waitFor()).isZero();
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private static void awaitOutput(StringBuilder out, String needle) {
        Poll.until(
                Duration.ofSeconds(20),
                () -> {
                    synchronized (out) {
                        return "'" + needle + "' in the proxy's output:\n" + out;
                    }
                },
                () -> {
                    synchronized (out) {
                        return out.indexOf(needle) >= 0;
                    }
                });
    }
}
