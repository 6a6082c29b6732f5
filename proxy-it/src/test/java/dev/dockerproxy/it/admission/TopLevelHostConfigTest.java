package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The create wrapper of the daemon reads HostConfig fields from the top level of the body when
 * {@code HostConfig} is absent or {@code null} ({@code ContainerConfigWrapper.getHostConfig}), at
 * every API version. Each dangerous field in that position must be refused, and nothing created.
 */
@RequiresDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopLevelHostConfigTest {

    static final List<String> VERSIONS =
            List.of("/v1.24", "/v1.30", "/v1.35", "/v1.40", "/v1.41", "");

    /** The field the denial must name, and the top-level member that sets it. */
    record Field(String name, String member) {
        @Override
        public String toString() {
            return member;
        }
    }

    static final List<Field> FIELDS =
            List.of(
                    new Field("Privileged", "\"Privileged\":true"),
                    new Field("PidMode", "\"PidMode\":\"host\""),
                    new Field("NetworkMode", "\"NetworkMode\":\"host\""),
                    new Field("IpcMode", "\"IpcMode\":\"host\""),
                    new Field("UTSMode", "\"UTSMode\":\"host\""),
                    new Field("CapAdd", "\"CapAdd\":[\"ALL\"]"),
                    new Field("Binds", "\"Binds\":[\"/:/host\"]"),
                    new Field(
                            "Devices",
                            "\"Devices\":[{\"PathOnHost\":\"/dev/mem\",\"PathInContainer\":\"/dev/mem\","
                                    + "\"CgroupPermissions\":\"rwm\"}]"),
                    new Field("SecurityOpt", "\"SecurityOpt\":[\"seccomp=unconfined\"]"),
                    new Field("SecurityOpt", "\"SecurityOpt\":[\"apparmor=unconfined\"]"));

    enum Shape {
        NO_HOST_CONFIG(""),
        NULL_HOST_CONFIG(",\"HostConfig\":null");

        final String member;

        Shape(String member) {
            this.member = member;
        }
    }

    private final AtomicInteger counter = new AtomicInteger();
    private Admission fx;
    private ProxyApi proxy;

    @BeforeAll
    void startProxy(DockerEngine engine) {
        fx = new Admission(engine);
        proxy = fx.through(Admission.env("CONTAINERS", "POST"));
    }

    @AfterEach
    void removeWhatLanded() {
        fx.removeAll();
    }

    @AfterAll
    void stopProxy() {
        if (fx != null) {
            fx.close();
        }
    }

    /**
     * {@code {"Image":..., "Cmd":["true"][, "HostConfig":null], "NetworkMode":"none", <member>}}.
     */
    static String topLevelBody(Shape shape, Field field) {
        String network = field.name().equals("NetworkMode") ? "" : ",\"NetworkMode\":\"none\"";
        return "{\"Image\":\""
                + Admission.BUSYBOX
                + "\",\"Cmd\":[\"true\"]"
                + shape.member
                + network
                + ","
                + field.member()
                + "}";
    }

    static Stream<Arguments> cases() {
        return VERSIONS.stream()
                .flatMap(
                        v ->
                                Stream.of(Shape.values())
                                        .flatMap(
                                                s ->
                                                        FIELDS.stream()
                                                                .map(
                                                                        f ->
                                                                                Arguments.of(
                                                                                        v.isEmpty()
                                                                                                ? "(no version)"
                                                                                                : v,
                                                                                        s,
                                                                                        f))));
    }

    /** This is what makes the case real: the engine applies top-level HostConfig fields. */
    @Test
    void engineAppliesTopLevelFieldsWhenHostConfigIsAbsentOrNull() {
        for (Shape shape : Shape.values()) {
            String name = fx.name("sanity-" + shape.name().toLowerCase());
            fx.direct().createContainer(name, topLevelBody(shape, FIELDS.get(0)));
            JsonNode c = fx.inspect(name);
            assertThat(c.path("HostConfig").path("Privileged").asBoolean())
                    .as("%s: %s", shape, c)
                    .isTrue();
            assertThat(fx.direct().delete("/containers/" + name + "?force=1").status())
                    .isEqualTo(204);
            assertThat(fx.direct().inspectContainer(name)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void topLevelHostConfigFieldIsRefused(String version, Shape shape, Field field) {
        String name = fx.name("c" + counter.incrementAndGet());
        String prefix = version.startsWith("/") ? version : "";
        ApiResponse r =
                proxy.post(prefix + "/containers/create?name=" + name, topLevelBody(shape, field));
        fx.assertRefusedAndNotCreated(r, name, field.name());
    }
}
