package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.testsupport.DockerCli;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary, hardening or everyday options of the real docker CLI pass the admission checks, and the
 * engine applies what was asked.
 */
@RequiresDockerEngine
class OrdinaryCliTest {

    private Admission fx;
    private DockerCli viaProxy;

    @BeforeEach
    void startProxy(DockerEngine engine) {
        fx = new Admission(engine);
        viaProxy =
                DockerCli.on(
                        fx.proxy(Admission.env("CONTAINERS", "POST", "ALLOW_START")).dockerHost());
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void hardenedRunWithABindAndAHealthcheckPasses(@TempDir Path dir) {
        String name = fx.name("hardened");
        viaProxy.run(
                        "run",
                        "-d",
                        "--name",
                        name,
                        "--pull",
                        "never",
                        "--network",
                        "none",
                        "--read-only",
                        "--security-opt",
                        "no-new-privileges",
                        "--cap-drop",
                        "ALL",
                        "-e",
                        "A=b",
                        "-v",
                        dir + ":/data",
                        "--health-cmd",
                        "true",
                        "--health-interval",
                        "5s",
                        Admission.BUSYBOX,
                        "sleep",
                        "300")
                .requireSuccess();
        JsonNode c = fx.inspect(name);
        JsonNode h = c.path("HostConfig");
        assertThat(c.path("State").path("Running").asBoolean()).as("running: %s", c).isTrue();
        assertThat(h.path("SecurityOpt").toString()).contains("no-new-privileges");
        assertThat(h.path("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(h.path("CapDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(h.path("Binds").toString()).isEqualTo("[\"" + dir + ":/data\"]");
        assertThat(h.path("Privileged").asBoolean()).isFalse();
        assertThat(h.path("NetworkMode").asText()).isEqualTo("none");
        assertThat(c.path("Config").path("Env").toString()).contains("\"A=b\"");
        assertThat(c.path("Config").path("Healthcheck").path("Test").toString())
                .isEqualTo("[\"CMD-SHELL\",\"true\"]");
    }

    @Test
    void createJoiningTheNetworkOfARunningOrdinaryContainerPasses() {
        String target = fx.runDirect(fx.name("target"), "none");
        String name = fx.name("joiner");
        viaProxy.run(
                        "create",
                        "--name",
                        name,
                        "--pull",
                        "never",
                        "--network",
                        "container:" + target,
                        Admission.BUSYBOX,
                        "true")
                .requireSuccess();
        assertThat(fx.inspect(name).path("HostConfig").path("NetworkMode").asText())
                .isEqualTo("container:" + target);
    }
}
