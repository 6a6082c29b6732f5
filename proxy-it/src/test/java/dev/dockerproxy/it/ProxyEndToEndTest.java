package dev.dockerproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.testsupport.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI through the real proxy to a real Docker Engine, over TCP and over a UNIX
 * socket, with a policy that allows everything the commands need.
 */
@RequiresDockerEngine
class ProxyEndToEndTest {

    /** Every section, every method, every opt-in. */
    static Policy everything() {
        Map<String, String> env = new HashMap<>();
        TecnativaEnv.SECTION_DEFAULTS.keySet().forEach(s -> env.put(s.name(), "1"));
        env.put("POST", "1");
        TecnativaEnv.ALLOW_VARIABLES.forEach(v -> env.put(v, "1"));
        return TecnativaEnv.parse(env).policy();
    }

    @Nested
    class OverTcp extends Scenarios {
        OverTcp() {
            super(ProxyUnderTest.Transport.TCP);
        }
    }

    @Nested
    class OverUnixSocket extends Scenarios {
        OverUnixSocket() {
            super(ProxyUnderTest.Transport.UNIX);
        }
    }

    abstract static class Scenarios {
        private final ProxyUnderTest.Transport transport;
        ProxyUnderTest proxy;
        DockerCli viaProxy;
        DockerCli direct;
        String prefix;

        Scenarios(ProxyUnderTest.Transport transport) {
            this.transport = transport;
        }

        @BeforeEach
        void startProxy(DockerEngine engine) {
            proxy = ProxyUnderTest.start(engine, everything(), transport);
            viaProxy = DockerCli.on(proxy.dockerHost()).withTimeout(Duration.ofSeconds(60));
            direct = DockerCli.on(engine.dockerHost());
            prefix = "e2e-" + transport.name().toLowerCase() + "-" + System.nanoTime();
        }

        @AfterEach
        void stopProxy() {
            direct.run("rm", "-f", prefix + "-c");
            proxy.close();
        }

        /**
         * {@code docker run -d [-i] --name PREFIX-c ... busybox CMD} through the proxy; returns the
         * id.
         */
        private String busyboxDetached(String... cmd) {
            return runDetached(false, cmd);
        }

        private String runDetached(boolean interactive, String... cmd) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "-d"));
            if (interactive) {
                args.add("-i");
            }
            args.addAll(
                    java.util.List.of(
                            "--name=" + prefix + "-c",
                            "--network=none",
                            "--pull=never",
                            DockerEngine.BUSYBOX));
            args.addAll(java.util.List.of(cmd));
            return viaProxy.run(args.toArray(String[]::new)).requireSuccess().stdout().strip();
        }

        @Test
        void versionInfoPsAndImagesWork() {
            assertThat(
                            viaProxy.run("version", "--format", "{{.Server.APIVersion}}")
                                    .requireSuccess()
                                    .stdout()
                                    .strip())
                    .isEqualTo("1.41");
            assertThat(
                            viaProxy.run("info", "--format", "{{.Driver}}")
                                    .requireSuccess()
                                    .stdout()
                                    .strip())
                    .isEqualTo("vfs");
            viaProxy.run("ps", "-a").requireSuccess();
            assertThat(
                            viaProxy.run("images", "--format", "{{.Repository}}:{{.Tag}}")
                                    .requireSuccess()
                                    .stdout())
                    .contains(DockerEngine.BUSYBOX);
        }

        @Test
        void eventsFromASecondCommandArriveThroughTheProxy() {
            // --since replays from just before now, so an event created before the subscription is
            // not missed
            String since = Long.toString(java.time.Instant.now().getEpochSecond() - 1);
            try (DockerCli.Background events =
                    viaProxy.start(
                            "events",
                            "--since",
                            since,
                            "--filter",
                            "type=volume",
                            "--format",
                            "{{.Action}} {{.Actor.ID}}")) {
                String volume = prefix + "-v";
                direct.run("volume", "create", volume).requireSuccess();
                try {
                    events.awaitStdout("create " + volume, Duration.ofSeconds(20));
                } finally {
                    direct.run("volume", "rm", volume);
                }
            }
        }

        @Test
        void runRemovesItsContainerAndPrintsOutput() {
            DockerCli.Result r =
                    viaProxy.run(
                                    "run",
                                    "--rm",
                                    "--pull=never",
                                    "--network=none",
                                    DockerEngine.BUSYBOX,
                                    "echo",
                                    "through the proxy")
                            .requireSuccess();
            assertThat(r.stdout()).isEqualTo("through the proxy\n");
        }

        @Test
        void runWithPipedStdinSeesEndOfInput() {
            DockerCli.Result r =
                    viaProxy.withStdin("a\nb\nc\n")
                            .run(
                                    "run",
                                    "--rm",
                                    "-i",
                                    "--pull=never",
                                    "--network=none",
                                    DockerEngine.BUSYBOX,
                                    "wc",
                                    "-l")
                            .requireSuccess();
            assertThat(r.stdout().strip()).isEqualTo("3");
        }

        @Test
        void execWithStdinHalfClosesWhileOutputStillFlows() {
            busyboxDetached("sleep", "300");
            DockerCli.Result r =
                    viaProxy.withStdin("hello exec\n")
                            .run("exec", "-i", prefix + "-c", "sh", "-c", "cat; echo after-eof")
                            .requireSuccess();
            assertThat(r.stdout()).isEqualTo("hello exec\nafter-eof\n");
        }

        @Test
        void execWithATtyWorksUnderScript() {
            busyboxDetached("sleep", "300");
            DockerCli.Result r =
                    DockerCli.on(proxy.dockerHost())
                            .withStdin("")
                            .withBinary("/usr/bin/script")
                            .run(
                                    "-qec",
                                    DockerCli.defaultBinary() + " exec -it " + prefix + "-c tty",
                                    "/dev/null");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).contains("/dev/pts/");
        }

        @Test
        void attachStreamsStdoutUntilTheContainerExits() {
            runDetached(false, "sh", "-c", "sleep 1; echo one; sleep 1; echo two");
            DockerCli.Result r =
                    viaProxy.run("attach", "--no-stdin", "--sig-proxy=false", prefix + "-c");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).isEqualTo("one\ntwo\n");
        }

        @Test
        void attachDeliversStdinToTheContainer() {
            // with piped stdin the CLI returns at stdin EOF (as it does against the engine
            // directly),
            // so what arrived is read back from the container's log
            runDetached(true, "sh", "-c", "read line; echo got-$line");
            viaProxy.withStdin("attached\n")
                    .run("attach", "--sig-proxy=false", prefix + "-c")
                    .requireSuccess();
            direct.run("wait", prefix + "-c").requireSuccess();
            assertThat(direct.run("logs", prefix + "-c").requireSuccess().stdout())
                    .isEqualTo("got-attached\n");
        }

        @Test
        void logsFollowStreamsUntilTheContainerExits() {
            busyboxDetached("sh", "-c", "echo first; sleep 1; echo second");
            DockerCli.Result r = viaProxy.run("logs", "-f", prefix + "-c").requireSuccess();
            assertThat(r.stdout()).isEqualTo("first\nsecond\n");
        }

        @Test
        void copyBothWays(@TempDir Path tmp) throws Exception {
            busyboxDetached("sleep", "300");
            Path in = tmp.resolve("in.txt");
            Files.writeString(in, "copied through the proxy\n");
            viaProxy.run("cp", in.toString(), prefix + "-c:/tmp/in.txt").requireSuccess();
            Path out = tmp.resolve("out.txt");
            viaProxy.run("cp", prefix + "-c:/tmp/in.txt", out.toString()).requireSuccess();
            assertThat(Files.readString(out)).isEqualTo("copied through the proxy\n");
        }

        @Test
        void legacyBuildWorks(@TempDir Path ctx) throws Exception {
            Files.writeString(
                    ctx.resolve("Dockerfile"),
                    "FROM " + DockerEngine.BUSYBOX + "\nRUN echo built > /built\n");
            String tag = prefix + "-img:1";
            try {
                viaProxy.withEnv("DOCKER_BUILDKIT", "0")
                        .withTimeout(Duration.ofSeconds(120))
                        .run("build", "--network=none", "-t", tag, ctx.toString())
                        .requireSuccess();
                assertThat(
                                direct.run("run", "--rm", "--network=none", tag, "cat", "/built")
                                        .requireSuccess()
                                        .stdout())
                        .isEqualTo("built\n");
            } finally {
                direct.run("rmi", "-f", tag);
            }
        }

        @Test
        void saveThroughTheProxyIsByteIdenticalAndLoads() throws Exception {
            byte[] viaProxySave =
                    viaProxy.run("save", DockerEngine.BUSYBOX).requireSuccess().stdoutBytes();
            byte[] directSave =
                    direct.run("save", DockerEngine.BUSYBOX).requireSuccess().stdoutBytes();
            assertThat(sha256(viaProxySave)).isEqualTo(sha256(directSave));
            assertThat(viaProxySave.length).isGreaterThan(100_000);
            DockerCli.Result load = viaProxy.withStdin(viaProxySave).run("load").requireSuccess();
            assertThat(load.stdout()).contains(DockerEngine.BUSYBOX);
        }

        @Test
        void volumeAndNetworkCommands() {
            String v = prefix + "-vol";
            String n = prefix + "-net";
            viaProxy.run("volume", "create", v).requireSuccess();
            assertThat(
                            viaProxy.run("volume", "ls", "--format", "{{.Name}}")
                                    .requireSuccess()
                                    .stdout())
                    .contains(v);
            assertThat(viaProxy.run("volume", "inspect", v).requireSuccess().stdout()).contains(v);
            viaProxy.run("volume", "rm", v).requireSuccess();
            viaProxy.run("network", "create", "--internal", n).requireSuccess();
            try {
                assertThat(
                                viaProxy.run("network", "ls", "--format", "{{.Name}}")
                                        .requireSuccess()
                                        .stdout())
                        .contains(n);
            } finally {
                viaProxy.run("network", "rm", n).requireSuccess();
            }
        }

        @Test
        void stopAndRemove() {
            busyboxDetached("sleep", "300");
            viaProxy.run("stop", "-t", "1", prefix + "-c").requireSuccess();
            viaProxy.run("rm", prefix + "-c").requireSuccess();
            assertThat(direct.run("ps", "-a", "--format", "{{.Names}}").requireSuccess().stdout())
                    .doesNotContain(prefix + "-c");
        }

        private static String sha256(byte[] data) throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }
}
