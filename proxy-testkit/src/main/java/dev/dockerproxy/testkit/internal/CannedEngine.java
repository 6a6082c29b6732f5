package dev.dockerproxy.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The canned answers of the fake engine, read once from {@code
 * dev/dockerproxy/testkit/engine/*.json}.
 */
public final class CannedEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String VERSION = load("version.json");
    public static final String INFO = load("info.json");
    public static final String CONTAINERS = load("containers.json");
    public static final String IMAGES = load("images.json");
    public static final String NETWORKS = load("networks.json");
    public static final String VOLUMES = load("volumes.json");
    private static final String CONTAINER_INSPECT = load("container-inspect.json");

    private CannedEngine() {}

    /**
     * The inspect document of the canned container if {@code idOrName} names it (full id, id
     * prefix, or name).
     */
    public static String inspectContainer(String idOrName) {
        try {
            JsonNode c = JSON.readTree(CONTAINER_INSPECT);
            String id = c.get("Id").asText();
            String name = c.get("Name").asText();
            boolean match =
                    idOrName.equals(name)
                            || ("/" + idOrName).equals(name)
                            || (idOrName.length() >= 3 && id.startsWith(idOrName));
            return match ? CONTAINER_INSPECT : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network document if {@code idOrName} names a canned network. */
    public static String inspectNetwork(String idOrName) {
        try {
            for (JsonNode n : JSON.readTree(NETWORKS)) {
                if (n.get("Name").asText().equals(idOrName)
                        || n.get("Id").asText().startsWith(idOrName)) {
                    return JSON.writeValueAsString(n);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String load(String name) {
        String resource = "/dev/dockerproxy/testkit/engine/" + name;
        try (InputStream in = CannedEngine.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + resource + "; is proxy-testkit packaged completely?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
