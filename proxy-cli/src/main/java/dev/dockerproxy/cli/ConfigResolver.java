package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.policy.file.PolicyFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the configuration sources, lowest precedence first: built-in defaults, the environment
 * (Tecnativa's variables, {@code DOCKER_HOST}), the policy file or preset, and the flags. Pure:
 * the environment is passed in, nothing is read from the process.
 */
public final class ConfigResolver {

    /** Default listeners: Tecnativa's port 2375 on IPv4 and IPv6. */
    public static final Address DEFAULT_IPV4 = Address.tcp("0.0.0.0", 2375);
    public static final Address DEFAULT_IPV6 = Address.tcp("::", 2375);
    public static final int DEFAULT_SOCKET_MODE = 0660;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_HEADER_SIZE = 64 * 1024;

    private ConfigResolver() {
    }

    /**
     * Resolves the configuration.
     *
     * @param flags the parsed flags ({@code null} fields were not given)
     * @param env   the process environment
     * @throws ConfigException naming the flag, variable or {@code file:line:column} at fault
     */
    public static ResolvedConfig resolve(ConfigOptions flags, Map<String, String> env) {
        TecnativaEnv tecnativa = TecnativaEnv.parse(env);
        List<String> notes = new ArrayList<>();

        Policy policy;
        String origin;
        boolean envPolicy = false;
        if (flags.policy != null && flags.preset != null) {
            throw new ConfigException("--preset", "cannot be combined with --policy; include the preset in the "
                    + "policy file instead ('- preset: " + flags.preset + "' under rules:)");
        }
        if (flags.policy != null) {
            policy = PolicyFile.load(flags.policy);
            origin = "file " + flags.policy;
        } else if (flags.preset != null) {
            String name = flags.preset.trim();
            if (!Presets.names().contains(name)) {
                throw new ConfigException("--preset", "unknown preset '" + Escaping.printable(flags.preset)
                        + "'; use one of " + String.join(", ", Presets.names()));
            }
            policy = Presets.get(name);
            origin = "preset " + name;
        } else {
            policy = tecnativa.policy();
            origin = "environment variables";
            envPolicy = true;
        }
        if (!envPolicy) {
            List<String> ignored = setPolicyVariables(env);
            notes.add("the rules come from " + (flags.policy != null ? "--policy " + flags.policy
                    : "--preset " + flags.preset.trim()) + "; they replace the Tecnativa environment variables"
                    + (ignored.isEmpty() ? "" : " (ignored: " + String.join(", ", ignored) + ")"));
        }

        policy = withMinApiVersion(policy, envPolicy, flags, env);

        List<Address> listeners = new ArrayList<>();
        if (flags.listen.isEmpty()) {
            listeners.add(DEFAULT_IPV4);
            if (!tecnativa.disableIpv6()) {
                listeners.add(DEFAULT_IPV6);
            }
        } else {
            for (String l : flags.listen) {
                listeners.add(Address.parse(l, "--listen"));
            }
        }

        int socketMode = DEFAULT_SOCKET_MODE;
        if (flags.socketMode != null) {
            socketMode = parseMode(flags.socketMode);
        }

        Address upstream = upstream(flags, env, tecnativa);

        int maxConnections = positive(flags.maxConnections, DEFAULT_MAX_CONNECTIONS, "--max-connections");
        int maxHeaderSize = positive(flags.maxHeaderSize, DEFAULT_MAX_HEADER_SIZE, "--max-header-size");
        if (maxHeaderSize < 1024) {
            throw new ConfigException("--max-header-size", maxHeaderSize
                    + " bytes is too small for Docker clients' request heads; use at least 1024 (default 65536)");
        }
        Duration headerTimeout = flags.headerTimeout == null ? DEFAULT_HEADER_TIMEOUT : flags.headerTimeout;

        ResolvedConfig.LogFormat format = ResolvedConfig.LogFormat.TEXT;
        if (flags.logFormat != null) {
            switch (flags.logFormat.trim().toLowerCase(Locale.ROOT)) {
                case "text":
                    break;
                case "json":
                    format = ResolvedConfig.LogFormat.JSON;
                    break;
                default:
                    throw new ConfigException("--log-format", "'" + Escaping.printable(flags.logFormat)
                            + "' is not a log format; use text or json");
            }
        }
        String level = tecnativa.logLevel();
        if (flags.logLevel != null) {
            level = flags.logLevel.trim().toLowerCase(Locale.ROOT);
            if (!TecnativaEnv.LOG_LEVELS.contains(level)) {
                throw new ConfigException("--log-level", "'" + Escaping.printable(flags.logLevel)
                        + "' is not a log level; use one of debug, info, notice, warning, err");
            }
        }
        return new ResolvedConfig(policy, origin, envPolicy, tecnativa, listeners, socketMode, upstream,
                headerTimeout, maxConnections, maxHeaderSize, format, level, notes);
    }

    /**
     * The minimum API version, lowest precedence first: the default, {@code MIN_API_VERSION}, a policy
     * file's {@code min-api-version}, {@code --min-api-version}.
     */
    private static Policy withMinApiVersion(Policy policy, boolean envPolicy, ConfigOptions flags,
                                            Map<String, String> env) {
        String version = policy.minApiVersion();
        String fromEnv = env.get("MIN_API_VERSION");
        boolean fileSetsIt = !envPolicy && !version.equals(Policy.DEFAULT_MIN_API_VERSION);
        String source = "MIN_API_VERSION";
        if (!envPolicy && !fileSetsIt && fromEnv != null && !fromEnv.isBlank()) {
            version = fromEnv.trim();
        }
        if (flags.minApiVersion != null) {
            version = flags.minApiVersion.trim();
            source = "--min-api-version";
        }
        if (version.equals(policy.minApiVersion())) {
            return policy;
        }
        try {
            return policy.toBuilder().minApiVersion(version).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, e.getMessage());
        }
    }

    private static Address upstream(ConfigOptions flags, Map<String, String> env, TecnativaEnv tecnativa) {
        if (flags.upstream != null) {
            return Address.parse(flags.upstream, "--upstream");
        }
        String socketPath = env.get("SOCKET_PATH");
        if (socketPath != null && !socketPath.isBlank()) {
            String p = socketPath.trim();
            if (p.startsWith("unix://") || p.startsWith("tcp://")) {
                return Address.parse(p, "SOCKET_PATH");
            }
            if (!p.startsWith("/")) {
                throw new ConfigException("SOCKET_PATH", "'" + Escaping.printable(p)
                        + "' is not an absolute path; set it to the Docker socket, e.g. /var/run/docker.sock");
            }
            return Address.unix(p);
        }
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null) {
            String h = dockerHost.trim();
            if (h.startsWith("unix://") || h.startsWith("tcp://")) {
                return Address.parse(h, "DOCKER_HOST");
            }
        }
        return Address.unix(tecnativa.socketPath());
    }

    private static int parseMode(String text) {
        String t = text.trim();
        try {
            int mode = Integer.parseInt(t, 8);
            if (mode < 0 || mode > 0777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw new ConfigException("--socket-mode", "'" + Escaping.printable(text)
                    + "' is not an octal file mode; use e.g. 0660 (owner and group read/write) or 0600");
        }
    }

    private static int positive(Integer value, int def, String flag) {
        if (value == null) {
            return def;
        }
        if (value <= 0) {
            throw new ConfigException(flag, value + " must be a positive number (default " + def + ")");
        }
        return value;
    }

    /** Tecnativa policy variables that are set in the environment (not SOCKET_PATH, LOG_LEVEL, ...). */
    private static List<String> setPolicyVariables(Map<String, String> env) {
        List<String> set = new ArrayList<>();
        for (String v : TecnativaEnv.variables()) {
            if (!TecnativaEnv.OTHER_VARIABLES.contains(v) && env.get(v) != null && !env.get(v).isBlank()) {
                set.add(v);
            }
        }
        return set;
    }
}
