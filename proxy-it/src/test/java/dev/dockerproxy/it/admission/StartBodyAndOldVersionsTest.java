package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Below API 1.24 the daemon reads a HostConfig from the body of {@code POST /containers/{id}/start}
 * and applies it to the existing container. The proxy refuses API versions below its floor (1.24 by
 * default), and a start body at any version: from 1.24 on the daemon rejects bodies itself, so no
 * client needs one.
 */
@RequiresDockerEngine
class StartBodyAndOldVersionsTest {

    static final String PRIVILEGED = "{\"Privileged\":true}";

    private Admission fx;
    private ProxyApi proxy;

    @BeforeEach
    void startProxy(DockerEngine engine) {
        fx = new Admission(engine);
        proxy = fx.through(Admission.env("CONTAINERS", "POST", "ALLOW_START"));
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    /**
     * This is what makes the case real: an old-version start body changes the container's
     * HostConfig.
     */
    @Test
    void engineAppliesAnOldStartBody() {
        String name = fx.name("sanity");
        fx.createDirect(name, "");
        // the start itself may fail (privileged containers cannot run on every machine); the change
        // stays
        fx.direct().post("/v1.23/containers/" + name + "/start", PRIVILEGED);
        assertThat(fx.inspect(name).path("HostConfig").path("Privileged").asBoolean()).isTrue();
    }

    static Stream<Arguments> startBodies() {
        String padded = PRIVILEGED + " ".repeat(64);
        return Stream.of("/v1.12", "/v1.23", "/v1.24", "/v1.30", "/v1.41", "")
                .flatMap(v -> Stream.of(Arguments.of(v, PRIVILEGED), Arguments.of(v, padded)));
    }

    @ParameterizedTest(name = "{0} <{1}>")
    @MethodSource("startBodies")
    void startWithABodyIsRefusedAtEveryVersion(String version, String body) {
        String name = fx.name("start");
        fx.createDirect(name, "");
        ApiResponse r = proxy.post(version + "/containers/" + name + "/start", body);
        fx.assertRefusedAndUnchanged(r, name);
    }

    @Test
    void createBelowTheVersionFloorIsRefused() {
        String name = fx.name("old");
        ApiResponse r =
                proxy.post("/v1.23/containers/create?name=" + name, Admission.createBody(""));
        fx.assertRefusedAndNotCreated(r, name);
    }

    @Test
    void startWithoutABodyIsAllowed() {
        String name = fx.name("plain");
        fx.createDirect(name, "");
        ApiResponse r = proxy.post("/v1.41/containers/" + name + "/start", null);
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        JsonNode c = fx.inspect(name);
        assertThat(c.path("State").path("Running").asBoolean()).as("running: %s", c).isTrue();
        assertThat(Admission.dangers(c)).containsExactly("State.Running=true");
    }
}
