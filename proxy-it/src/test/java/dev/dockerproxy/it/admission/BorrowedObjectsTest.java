package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A create body can borrow from another container: its volumes ({@code VolumesFrom}) or its
 * namespaces ({@code NetworkMode: container:<id>}). The proxy must judge what the borrowed
 * container really has (it was made directly on the engine, so the proxy never saw its body).
 */
@RequiresDockerEngine
class BorrowedObjectsTest {

    private Admission fx;
    private ProxyApi proxy;

    @BeforeEach
    void startProxy(DockerEngine engine) {
        fx = new Admission(engine);
        proxy = fx.through(Admission.env("CONTAINERS", "POST"));
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void volumesFromAContainerThatBindsTheEngineSocketIsRefused() {
        String source = fx.name("sock");
        fx.createDirect(
                source, "\"Binds\":[\"" + fx.engine().socketPath() + ":/var/run/docker.sock\"]");
        String name = fx.name("borrower");
        ApiResponse r = proxy.create(name, "\"VolumesFrom\":[\"" + source + "\"]");
        fx.assertRefusedAndNotCreated(r, name, "VolumesFrom");
    }

    @Test
    void volumesFromAContainerWithANamedVolumeIsAllowed() {
        String source = fx.name("vol");
        String volume = fx.name("data");
        fx.createDirect(source, "\"Binds\":[\"" + volume + ":/data\"]");
        String name = fx.name("borrower");
        Admission.assertCreated(proxy.create(name, "\"VolumesFrom\":[\"" + source + "\"]"));
        JsonNode c = fx.inspect(name);
        assertThat(c.path("HostConfig").path("VolumesFrom").toString()).contains(source);
        assertThat(c.path("Mounts").toString())
                .contains("\"Name\":\"" + volume + "\"")
                .doesNotContain("\"bind\"");
    }

    @Test
    void networkOfAHostNetworkContainerIsRefused() {
        String target = fx.runDirect(fx.name("hostnet"), "host");
        String name = fx.name("joiner");
        ApiResponse r =
                proxy.post(
                        "/v1.41/containers/create?name=" + name,
                        Admission.createBody("container:" + target, ""));
        fx.assertRefusedAndNotCreated(r, name, "NetworkMode");
    }

    @Test
    void networkOfAnOrdinaryRunningContainerIsAllowed() {
        String target = fx.runDirect(fx.name("nonet"), "none");
        String name = fx.name("joiner");
        Admission.assertCreated(
                proxy.post(
                        "/v1.41/containers/create?name=" + name,
                        Admission.createBody("container:" + target, "")));
        assertThat(fx.inspect(name).path("HostConfig").path("NetworkMode").asText())
                .isEqualTo("container:" + target);
    }
}
