package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.policy.file.PolicyFile;
import dev.dockerproxy.server.ListenAddress;
import dev.dockerproxy.server.ProxyConfig;
import dev.dockerproxy.server.UpstreamAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the configuration sources, lowest precedence first: built-in defaults, the environment
 * (Tecnativa's variables, {@code DOCKER_HOST}), the policy file or preset, and the flags. Pure: the
 * environment is passed in, nothing is read from the process. The defaults, the address parsers and
 * the limits' checks are the core's ({@link ProxyConfig}, {@link ListenAddress}, {@link
 * UpstreamAddress}); only the listeners default differently ({@link #DEFAULT_IPV4}).
 */
public final class ConfigResolver {

    /**
     * Default listeners: Tecnativa's port 2375 on all IPv4 and IPv6 interfaces. The only default
     * the CLI does not take from {@link ProxyConfig}: the library listens on loopback unless told
     * otherwise, while the command runs as a drop-in for Tecnativa's container, reached by others.
     */
    public static final ListenAddress DEFAULT_IPV4 =
            ListenAddress.tcp("0.0.0.0", ProxyConfig.DEFAULT_LISTEN.port());

    public static final ListenAddress DEFAULT_IPV6 =
            ListenAddress.tcp("::", ProxyConfig.DEFAULT_LISTEN.port());

    private ConfigResolver() {}

    /**
     * Resolves the configuration.
     *
     * @param flags the parsed flags ({@code null} fields were not given)
     * @param env the process environment
     * @throws ConfigException naming the flag, variable or {@code file:line:column} at fault
     */
    public static ResolvedConfig resolve(ConfigOptions flags, Map<String, String> env) {
        TecnativaEnv tecnativa = TecnativaEnv.parse(env);
        List<String> notes = new ArrayList<>();

        Policy policy;
        String origin;
        boolean envPolicy = false;
        if (flags.policy != null && flags.preset != null) {
            throw new ConfigException(
                    "--preset",
                    "cannot be combined with --policy; include the preset in the "
                            + "policy file instead ('- preset: "
                            + flags.preset
                            + "' under rules:)");
        }
        if (flags.policy != null) {
            policy = PolicyFile.load(flags.policy);
            origin = "file " + flags.policy;
        } else if (flags.preset != null) {
            String name = flags.preset.trim();
            if (!Presets.names().contains(name)) {
                throw new ConfigException(
                        "--preset",
                        "unknown preset '"
                                + Escaping.printable(flags.preset)
                                + "'; use one of "
                                + String.join(", ", Presets.names()));
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
            notes.add(
                    "the rules come from "
                            + (flags.policy != null
                                    ? "--policy " + flags.policy
                                    : "--preset " + flags.preset.trim())
                            + "; they replace the Tecnativa environment variables"
                            + (ignored.isEmpty()
                                    ? ""
                                    : " (ignored: " + String.join(", ", ignored) + ")"));
        }

        policy = withMinApiVersion(policy, envPolicy, flags, env);

        // Every default below is ProxyConfig's: a setting is passed on only when its flag is given.
        ProxyConfig.Builder proxy = ProxyConfig.builder().policy(policy);
        if (flags.listen.isEmpty()) {
            proxy.listen(DEFAULT_IPV4);
            if (!tecnativa.disableIpv6()) {
                proxy.listen(DEFAULT_IPV6);
            }
        } else {
            for (String l : flags.listen) {
                proxy.listen(listenAddress(l, "--listen"));
            }
        }
        if (flags.socketMode != null) {
            int mode = parseMode(flags.socketMode);
            set("--socket-mode", () -> proxy.unixSocketMode(mode));
        }
        proxy.upstream(
                flags.upstream != null
                        ? daemonAddress(flags.upstream, "--upstream")
                        : UpstreamAddress.fromEnvironment(env));
        if (flags.headerTimeout != null) {
            set("--header-timeout", () -> proxy.headerReadTimeout(flags.headerTimeout));
        }
        if (flags.maxConnections != null) {
            set("--max-connections", () -> proxy.maxConnections(flags.maxConnections));
        }
        if (flags.maxHeaderSize != null) {
            set("--max-header-size", () -> proxy.maxHeaderSize(flags.maxHeaderSize));
        }

        ResolvedConfig.LogFormat format = ResolvedConfig.LogFormat.TEXT;
        if (flags.logFormat != null) {
            switch (flags.logFormat.trim().toLowerCase(Locale.ROOT)) {
                case "text":
                    break;
                case "json":
                    format = ResolvedConfig.LogFormat.JSON;
                    break;
                default:
                    throw new ConfigException(
                            "--log-format",
                            "'"
                                    + Escaping.printable(flags.logFormat)
                                    + "' is not a log format; use text or json");
            }
        }
        String level = tecnativa.logLevel();
        if (flags.logLevel != null) {
            level = flags.logLevel.trim().toLowerCase(Locale.ROOT);
            if (!TecnativaEnv.LOG_LEVELS.contains(level)) {
                throw new ConfigException(
                        "--log-level",
                        "'"
                                + Escaping.printable(flags.logLevel)
                                + "' is not a log level; use one of debug, info, notice, warning, err");
            }
        }
        return new ResolvedConfig(
                proxy.build(), origin, envPolicy, tecnativa, format, level, notes);
    }

    /**
     * The minimum API version, lowest precedence first: the default, {@code MIN_API_VERSION}, a
     * policy file's {@code min-api-version}, {@code --min-api-version}.
     */
    private static Policy withMinApiVersion(
            Policy policy, boolean envPolicy, ConfigOptions flags, Map<String, String> env) {
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

    /**
     * Parses a listen address with the core's parser ({@link ListenAddress#parse}).
     *
     * @throws ConfigException naming {@code location} (the flag) and the accepted forms
     */
    static ListenAddress listenAddress(String text, String location) {
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(location, e.getMessage(), e);
        }
    }

    /**
     * Parses the address of a Docker API endpoint the CLI connects to (the upstream daemon, or the
     * proxy that {@code verify} and {@code health} probe) with the core's parser ({@link
     * UpstreamAddress#parse}: {@code unix:///path}, an absolute path, {@code tcp://HOST:PORT}).
     *
     * @throws ConfigException naming {@code location} (the flag) and the accepted forms
     */
    static UpstreamAddress daemonAddress(String text, String location) {
        try {
            return UpstreamAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(location, e.getMessage(), e);
        }
    }

    /** Runs a {@link ProxyConfig.Builder} setter; the builder's objection names the flag. */
    private static void set(String flag, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag, e.getMessage(), e);
        }
    }

    private static int parseMode(String text) {
        try {
            return Integer.parseInt(text.trim(), 8);
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "--socket-mode",
                    "'"
                            + Escaping.printable(text)
                            + "' is not an octal file mode; use e.g. 0660 (owner and group read/write) or 0600");
        }
    }

    /**
     * Tecnativa policy variables that are set in the environment (not SOCKET_PATH, LOG_LEVEL, ...).
     */
    private static List<String> setPolicyVariables(Map<String, String> env) {
        List<String> set = new ArrayList<>();
        for (String v : TecnativaEnv.variables()) {
            if (!TecnativaEnv.OTHER_VARIABLES.contains(v)
                    && env.get(v) != null
                    && !env.get(v).isBlank()) {
                set.add(v);
            }
        }
        return set;
    }
}
