package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.ProxyUnderTest;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.TecnativaEnv;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;

/**
 * Per-test fixture of the admission suite: proxies in front of the real engine, the engine's API
 * straight over its socket, unique names, the "refused and nothing applied" assertions, and
 * cleanup. Every object a test makes is named with {@link #prefix()}, so {@link #close()} removes
 * all of them directly on the engine, whether the proxy let them through or not.
 */
final class Admission implements AutoCloseable {

    static final String BUSYBOX = DockerEngine.BUSYBOX;
    private static final AtomicLong COUNTER = new AtomicLong();

    private final DockerEngine engine;
    private final EngineApi direct;
    private final String prefix;
    private final List<ProxyUnderTest> proxies = new ArrayList<>();

    Admission(DockerEngine engine) {
        this.engine = engine;
        this.direct = new EngineApi(engine.socketPath());
        // lowercase letters and digits only: docker-compose keeps project names like this as they
        // are
        this.prefix = "adm" + Long.toString(System.nanoTime(), 36) + COUNTER.incrementAndGet();
    }

    /** Tecnativa-style environment with each named variable set to {@code 1}. */
    static Policy env(String... variablesSetToOne) {
        Map<String, String> env = new HashMap<>();
        for (String v : variablesSetToOne) {
            env.put(v, "1");
        }
        return TecnativaEnv.parse(env).policy();
    }

    DockerEngine engine() {
        return engine;
    }

    /** The engine itself, not through any proxy. */
    EngineApi direct() {
        return direct;
    }

    String prefix() {
        return prefix;
    }

    /** A name unique to this test, removed by {@link #close()}. */
    String name(String suffix) {
        return prefix + "-" + suffix;
    }

    /** Starts a proxy over TCP in front of the engine; stopped by {@link #close()}. */
    ProxyUnderTest proxy(Policy policy) {
        ProxyUnderTest p = ProxyUnderTest.start(engine, policy, ProxyUnderTest.Transport.TCP);
        proxies.add(p);
        return p;
    }

    /** Raw HTTP to a new proxy with {@code policy}. */
    ProxyApi through(Policy policy) {
        return new ProxyApi(proxy(policy).dockerHost());
    }

    /**
     * A create body for busybox running {@code sleep 300} with no network, plus extra HostConfig
     * members.
     */
    static String createBody(String extraHostConfig) {
        return createBody("none", extraHostConfig);
    }

    /**
     * A create body for busybox running {@code sleep 300} with the given network mode and extra
     * HostConfig members.
     */
    static String createBody(String networkMode, String extraHostConfig) {
        return "{\"Image\":\""
                + BUSYBOX
                + "\",\"Cmd\":[\"sleep\",\"300\"],\"HostConfig\":{\"NetworkMode\":\""
                + networkMode
                + "\""
                + (extraHostConfig.isEmpty() ? "" : "," + extraHostConfig)
                + "}}";
    }

    /**
     * Creates {@code name} directly on the engine with extra HostConfig members and returns its id.
     */
    String createDirect(String name, String extraHostConfig) {
        return direct.createContainer(name, createBody(extraHostConfig));
    }

    /**
     * Creates and starts {@code name} ({@code sleep 300}, network mode as given) directly on the
     * engine; returns its id.
     */
    String runDirect(String name, String networkMode) {
        String id = direct.createContainer(name, createBody(networkMode, ""));
        direct.startContainer(id);
        return id;
    }

    JsonNode inspect(String container) {
        return direct.inspectContainer(container)
                .orElseThrow(() -> new AssertionError("the engine has no container " + container));
    }

    // ------------------------------------------------------------ assertions

    /** 403 from the proxy, with a message naming one of {@code fields} (exact case). */
    static void assertRefused(SoftAssertions soft, ApiResponse r, String... fields) {
        soft.assertThat(r.status()).as("status of %s", r).isEqualTo(403);
        if (r.status() == 403 && fields.length > 0) {
            soft.assertThat(r.message()).as("denial message of %s", r).containsAnyOf(fields);
        }
    }

    /**
     * Refused by the proxy and no container {@code name} on the engine (listing what it got, if one
     * exists).
     */
    void assertRefusedAndNotCreated(ApiResponse r, String name, String... fields) {
        SoftAssertions soft = new SoftAssertions();
        assertRefused(soft, r, fields);
        Optional<JsonNode> c = direct.inspectContainer(name);
        soft.assertThat(c.map(Admission::dangers))
                .as(
                        "the engine must have no container %s after %s (dangerous settings it got are listed)",
                        name, r)
                .isEmpty();
        soft.assertAll();
    }

    /**
     * Refused by the proxy, and the existing container {@code name} shows none of {@link #dangers}.
     */
    void assertRefusedAndUnchanged(ApiResponse r, String name, String... fields) {
        SoftAssertions soft = new SoftAssertions();
        assertRefused(soft, r, fields);
        soft.assertThat(dangers(inspect(name)))
                .as("dangerous settings applied to %s after %s", name, r)
                .isEmpty();
        soft.assertAll();
    }

    /** Allowed (201 Created), with the answer in the failure message. */
    static void assertCreated(ApiResponse r) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(201);
    }

    /**
     * What an inspected container got that a refused request could have given it: privileged mode,
     * host or borrowed namespaces, capabilities, devices, cgroup parent, unconfined security
     * options or system paths, binds and mounts of host paths, volumes from another container, and
     * being started.
     */
    static List<String> dangers(JsonNode container) {
        JsonNode h = container.path("HostConfig");
        List<String> found = new ArrayList<>();
        if (h.path("Privileged").asBoolean(false)) {
            found.add("HostConfig.Privileged=true");
        }
        for (String mode : List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode")) {
            String v = h.path(mode).asText("");
            if (v.equals("host") || v.startsWith("container:")) {
                found.add("HostConfig." + mode + "=" + v);
            }
        }
        for (String list :
                List.of(
                        "CapAdd",
                        "Devices",
                        "DeviceCgroupRules",
                        "DeviceRequests",
                        "VolumesFrom")) {
            if (h.path(list).isArray() && !h.path(list).isEmpty()) {
                found.add("HostConfig." + list + "=" + h.path(list));
            }
        }
        for (JsonNode bind : h.path("Binds")) {
            if (bind.asText()
                    .startsWith("/")) { // a host path; named volumes ("name:/dst") are not listed
                found.add("HostConfig.Binds " + bind.asText());
            }
        }
        if (!h.path("CgroupParent").asText("").isEmpty()) {
            found.add("HostConfig.CgroupParent=" + h.path("CgroupParent").asText());
        }
        for (JsonNode opt : h.path("SecurityOpt")) {
            if (opt.asText().contains("unconfined")) {
                found.add("HostConfig.SecurityOpt " + opt.asText());
            }
        }
        for (String paths : List.of("MaskedPaths", "ReadonlyPaths")) {
            if (h.path(paths).isArray() && h.path(paths).isEmpty()) {
                found.add("HostConfig." + paths + "=[]");
            }
        }
        for (JsonNode m : container.path("Mounts")) {
            if (m.path("Type").asText().equals("bind")) {
                found.add("bind mount of " + m.path("Source").asText());
            }
        }
        if (container.path("State").path("Running").asBoolean(false)) {
            found.add("State.Running=true");
        }
        return found;
    }

    /** A ustar archive of regular files (name to content), as a build context. */
    static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", data.length));
            put(h, 136, String.format("%011o", 0L));
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** Removes, directly on the engine, everything named with this fixture's prefix. */
    void removeAll() {
        direct.removeEverythingNamed(prefix);
    }

    /** Stops this fixture's proxies and {@linkplain #removeAll() removes} everything it named. */
    @Override
    public void close() {
        proxies.forEach(ProxyUnderTest::close);
        proxies.clear();
        removeAll();
    }
}
