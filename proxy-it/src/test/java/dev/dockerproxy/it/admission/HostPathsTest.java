package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.RequiresDockerEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host paths that give the container the host: the root, {@code /proc}'s views of the host's root,
 * {@code /sys}, {@code /dev}, {@code /etc}, the engine's socket through any directory above it.
 * Refused as {@code Binds} and as bind {@code Mounts}; an ordinary directory is allowed.
 */
@RequiresDockerEngine
class HostPathsTest {

    /** Stand-ins for the directories above this engine's socket, resolved in the test. */
    static final String SOCKET_PARENT = "<socket parent>";

    static final String SOCKET_GRANDPARENT = "<socket grandparent>";

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

    private String resolve(String source) {
        Path socket = fx.engine().socketPath();
        switch (source) {
            case SOCKET_PARENT:
                return socket.getParent().toString();
            case SOCKET_GRANDPARENT:
                return socket.getParent().getParent().toString();
            default:
                return source;
        }
    }

    static String mount(Path source) {
        return "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\""
                + source
                + "\",\"Target\":\"/data\"}]";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/proc/self/root",
                "/proc/1/root",
                "/sys",
                "/dev",
                "/",
                SOCKET_PARENT,
                SOCKET_GRANDPARENT,
                "/var/run",
                "/etc"
            })
    void bindOfAHostPathIsRefused(String source) {
        String name = fx.name("bind");
        ApiResponse r = proxy.create(name, "\"Binds\":[\"" + resolve(source) + ":/h\"]");
        fx.assertRefusedAndNotCreated(r, name, "Binds");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/proc/self/root",
                "/proc/1/root",
                "/sys",
                "/dev",
                "/",
                SOCKET_PARENT,
                SOCKET_GRANDPARENT,
                "/var/run",
                "/etc"
            })
    void mountOfAHostPathIsRefused(String source) {
        String name = fx.name("mount");
        ApiResponse r = proxy.create(name, mount(Path.of(resolve(source))));
        fx.assertRefusedAndNotCreated(r, name, "Mounts");
    }

    @Test
    void bindOfAFreshDirectoryIsAllowed(@TempDir Path dir) {
        assertThat(fx.engine().socketPath().startsWith(dir))
                .as("%s holds the engine socket", dir)
                .isFalse();
        String name = fx.name("bind");
        Admission.assertCreated(proxy.create(name, "\"Binds\":[\"" + dir + ":/data\"]"));
        JsonNode c = fx.inspect(name);
        assertThat(c.path("HostConfig").path("Binds").toString())
                .isEqualTo("[\"" + dir + ":/data\"]");
        assertThat(c.path("Mounts").get(0).path("Source").asText()).isEqualTo(dir.toString());
    }

    @Test
    void mountOfAFreshDirectoryIsAllowed(@TempDir Path dir) {
        assertThat(fx.engine().socketPath().startsWith(dir))
                .as("%s holds the engine socket", dir)
                .isFalse();
        String name = fx.name("mount");
        Admission.assertCreated(proxy.create(name, mount(dir)));
        JsonNode c = fx.inspect(name);
        assertThat(c.path("Mounts").get(0).path("Type").asText()).isEqualTo("bind");
        assertThat(c.path("Mounts").get(0).path("Source").asText()).isEqualTo(dir.toString());
    }
}
