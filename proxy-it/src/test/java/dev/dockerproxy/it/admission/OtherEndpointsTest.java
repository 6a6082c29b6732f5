package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.testsupport.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints other than create whose body or query can grant power: exec, update, volume create,
 * build.
 */
@RequiresDockerEngine
class OtherEndpointsTest {

    static final String MEM_DEVICE =
            "[{\"PathOnHost\":\"/dev/mem\",\"PathInContainer\":\"/dev/mem\",\"CgroupPermissions\":\"rwm\"}]";

    private Admission fx;

    @BeforeEach
    void setUp(DockerEngine engine) {
        fx = new Admission(engine);
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    // ------------------------------------------------------------ exec

    @Test
    void privilegedExecIsRefused() {
        ProxyApi proxy = fx.through(Admission.env("CONTAINERS", "EXEC", "POST"));
        String target = fx.runDirect(fx.name("exec"), "none");
        ApiResponse r =
                proxy.post(
                        "/v1.41/containers/" + target + "/exec",
                        "{\"Cmd\":[\"id\"],\"Privileged\":true}");
        SoftAssertions soft = new SoftAssertions();
        Admission.assertRefused(soft, r, "Privileged");
        soft.assertThat(fx.inspect(target).path("ExecIDs"))
                .as("exec instances of the target")
                .isEmpty();
        soft.assertAll();
    }

    @Test
    void ordinaryExecIsAllowed() {
        ProxyApi proxy = fx.through(Admission.env("CONTAINERS", "EXEC", "POST"));
        String target = fx.runDirect(fx.name("exec"), "none");
        ApiResponse r =
                proxy.post(
                        "/v1.41/containers/" + target + "/exec",
                        "{\"Cmd\":[\"id\"],\"AttachStdout\":true}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    // ------------------------------------------------------------ update

    @Test
    void updateWithDevicesIsRefused() {
        ProxyApi proxy = fx.through(Admission.env("CONTAINERS", "POST"));
        String name = fx.name("upd");
        fx.createDirect(name, "");
        ApiResponse r =
                proxy.post(
                        "/v1.41/containers/" + name + "/update",
                        "{\"Devices\":" + MEM_DEVICE + "}");
        fx.assertRefusedAndUnchanged(r, name, "Devices");
    }

    @Test
    void updateWithRootCgroupParentIsRefused() {
        ProxyApi proxy = fx.through(Admission.env("CONTAINERS", "POST"));
        String name = fx.name("upd");
        fx.createDirect(name, "");
        ApiResponse r =
                proxy.post("/v1.41/containers/" + name + "/update", "{\"CgroupParent\":\"/\"}");
        fx.assertRefusedAndUnchanged(r, name, "CgroupParent");
    }

    @Test
    void updateOfTheRestartPolicyIsAllowed() {
        ProxyApi proxy = fx.through(Admission.env("CONTAINERS", "POST"));
        String name = fx.name("upd");
        fx.createDirect(name, "");
        ApiResponse r =
                proxy.post(
                        "/v1.41/containers/" + name + "/update",
                        "{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":1}}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(fx.inspect(name).path("HostConfig").path("RestartPolicy").path("Name").asText())
                .isEqualTo("on-failure");
    }

    // ------------------------------------------------------------ volumes

    static String bindVolume(String name, Path device) {
        return "{\"Name\":\""
                + name
                + "\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\","
                + "\"device\":\""
                + device
                + "\"}}";
    }

    @Test
    void volumeBindingTheHostRootIsRefused() {
        ProxyApi proxy = fx.through(Admission.env("VOLUMES", "POST"));
        String volume = fx.name("root");
        ApiResponse r = proxy.post("/v1.41/volumes/create", bindVolume(volume, Path.of("/")));
        SoftAssertions soft = new SoftAssertions();
        Admission.assertRefused(soft, r, "DriverOpts", "device");
        soft.assertThat(fx.direct().inspectVolume(volume))
                .as("volume %s on the engine", volume)
                .isEmpty();
        soft.assertAll();
    }

    @Test
    void volumeBindingAFreshDirectoryIsAllowedAndMountable(@TempDir Path dir) throws Exception {
        ProxyApi proxy = fx.through(Admission.env("VOLUMES", "CONTAINERS", "POST", "ALLOW_START"));
        String volume = fx.name("data");
        ApiResponse created = proxy.post("/v1.41/volumes/create", bindVolume(volume, dir));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String name = fx.name("writer");
        Admission.assertCreated(
                proxy.post(
                        "/v1.41/containers/create?name=" + name,
                        "{\"Image\":\""
                                + Admission.BUSYBOX
                                + "\",\"Cmd\":[\"sh\",\"-c\",\"echo via-volume > /data/f\"],\"HostConfig\":{\"NetworkMode\":\"none\","
                                + "\"Binds\":[\""
                                + volume
                                + ":/data\"]}}"));
        ApiResponse started = proxy.post("/v1.41/containers/" + name + "/start", null);
        assertThat(started.status()).as("%s", started).isEqualTo(204);
        Path written = dir.resolve("f");
        Poll.until(
                Duration.ofSeconds(20),
                "the container to write " + written + " through the volume",
                () ->
                        Files.exists(written)
                                && fx.inspect(name)
                                        .path("State")
                                        .path("Status")
                                        .asText()
                                        .equals("exited"));
        assertThat(Files.readString(written, StandardCharsets.UTF_8)).isEqualTo("via-volume\n");
    }

    // ------------------------------------------------------------ build

    static final byte[] CONTEXT =
            Admission.tar(Map.of("Dockerfile", "FROM " + Admission.BUSYBOX + "\n"));

    @Test
    void buildWithHostNetworkIsRefused() {
        ProxyApi proxy = fx.through(Admission.env("BUILD", "POST"));
        String tag = fx.prefix() + "-img:host";
        ApiResponse r =
                proxy.postTar("/v1.41/build?networkmode=host&t=" + EngineApi.enc(tag), CONTEXT);
        SoftAssertions soft = new SoftAssertions();
        Admission.assertRefused(soft, r, "networkmode");
        soft.assertThat(fx.direct().inspectImage(tag)).as("image %s on the engine", tag).isEmpty();
        soft.assertAll();
    }

    @Test
    void buildWithTheDefaultNetworkIsAllowed() {
        ProxyApi proxy = fx.through(Admission.env("BUILD", "POST"));
        String tag = fx.prefix() + "-img:ok";
        ApiResponse r = proxy.postTar("/v1.41/build?t=" + EngineApi.enc(tag), CONTEXT);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).contains("Successfully tagged " + tag);
        JsonNode image =
                fx.direct()
                        .inspectImage(tag)
                        .orElseThrow(() -> new AssertionError("no image " + tag));
        assertThat(image.path("RepoTags").toString()).contains(tag);
    }
}
