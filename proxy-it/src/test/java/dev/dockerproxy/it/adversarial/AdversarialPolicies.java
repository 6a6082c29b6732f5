package dev.dockerproxy.it.adversarial;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import java.util.LinkedHashMap;
import java.util.Map;

/** The policies every corpus case runs under. */
final class AdversarialPolicies {

    /** The mission's read-only Tecnativa configuration. */
    static final Map<String, String> MISSION_ENV =
            Map.of(
                    "CONTAINERS",
                    "1",
                    "NETWORKS",
                    "1",
                    "SERVICES",
                    "1",
                    "TASKS",
                    "1",
                    "INFO",
                    "1",
                    "EVENTS",
                    "1",
                    "VERSION",
                    "1",
                    "PING",
                    "1");

    /**
     * Container writes allowed (POST=1), so bodies and non-GET methods get forwarded; exec still
     * denied.
     */
    static final Map<String, String> CONTAINER_WRITER_ENV =
            Map.of("CONTAINERS", "1", "POST", "1", "PING", "1", "VERSION", "1");

    private AdversarialPolicies() {}

    static Map<String, Policy> all() {
        Map<String, Policy> m = new LinkedHashMap<>();
        m.put("mission-env", TecnativaEnv.parse(MISSION_ENV).policy());
        m.put("preset-read-only", Presets.get("read-only"));
        m.put("deny-all", Policy.denyAll());
        m.put("containers-post-env", TecnativaEnv.parse(CONTAINER_WRITER_ENV).policy());
        return m;
    }

    /** The read-only ones: what they allow is safe to send to a real engine. */
    static Map<String, Policy> readOnly() {
        Map<String, Policy> m = all();
        m.remove("containers-post-env");
        return m;
    }
}
