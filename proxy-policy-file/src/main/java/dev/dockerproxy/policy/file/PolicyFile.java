package dev.dockerproxy.policy.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.ClientMatcher;
import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.Rule;
import dev.dockerproxy.policy.RuleSource;
import dev.dockerproxy.policy.Section;
import dev.dockerproxy.policy.TecnativaEnv;
import dev.dockerproxy.policy.Texts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML policy file into a {@link Policy}. Every error names the file, line and column;
 * unknown keys are errors, so a typo never silently widens or narrows a policy.
 *
 * <pre>
 * version: 1
 * rules:
 *   - preset: traefik            # a preset's rules, in place
 *   - name: no-secrets
 *     action: deny
 *     sections: [SECRETS, CONFIGS]
 *   - action: allow
 *     methods: [GET, HEAD]
 *     access: [read]
 *     path: "/containers/.*"      # anchored regex on the path without /vX.Y
 *     clients:
 *       addresses: [172.16.0.0/12]
 *       uids: [1000]
 *       transports: [tcp]
 *     reason: monitoring may read containers
 * </pre>
 *
 * <p>Lives in its own module ({@code proxy-policy-file}) so that {@code proxy-core} carries no YAML
 * parser: embedders who build policies in code do not need one. It compiles a file into the same
 * {@link Policy}, {@link Rule} and {@link BodyConstraints} values the core's builders make.
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyFile {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Set<String> TOP_KEYS = Set.of("version", "rules", "min-api-version");
    private static final Set<String> RULE_KEYS =
            Set.of(
                    "name",
                    "action",
                    "methods",
                    "endpoints",
                    "sections",
                    "access",
                    "path",
                    "clients",
                    "reason",
                    "preset",
                    "body");
    private static final Set<String> CLIENT_KEYS =
            Set.of("uids", "gids", "addresses", "transports");
    private static final Set<String> BODY_KEYS =
            Set.of(
                    "deny-privileged",
                    "deny-host-namespaces",
                    "deny-capabilities",
                    "deny-devices",
                    "deny-security-options",
                    "deny-docker-socket",
                    "deny-published-ports",
                    "deny-root-user",
                    "bind-sources",
                    "images",
                    "allow-fields",
                    "max-bytes");

    private PolicyFile() {}

    /**
     * Reads and compiles a policy file.
     *
     * @throws ConfigException naming file, line and column on any error (also when unreadable)
     */
    public static Policy load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(
                    file.toString(),
                    "cannot read policy file: "
                            + e.getMessage()
                            + "; check the path and permissions",
                    e);
        }
        return parse(text, file.toString());
    }

    /**
     * Compiles policy text.
     *
     * @param text YAML text
     * @param fileName the name used in rule sources and error messages
     * @throws ConfigException naming file, line and column
     */
    public static Policy parse(String text, String fileName) {
        Node root;
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ConfigException(
                        fileName + ":1:1", "the policy file is empty; it needs a 'rules:' list");
            }
            root = read(p, fileName);
            if (p.nextToken() != null) {
                throw error(
                        fileName, p.currentTokenLocation(), "only one YAML document is allowed");
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new ConfigException(
                    where(fileName, loc), "invalid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(fileName, "cannot parse policy file: " + e.getMessage(), e);
        }
        return compile(root, fileName);
    }

    private static Policy compile(Node root, String file) {
        Map<String, Node> top =
                root.asMap(file, "the policy file must be a mapping with a 'rules:' key");
        checkKeys(top, TOP_KEYS, file, "top-level");
        Node version = top.get("version");
        if (version != null && !"1".equals(version.scalar(file, "version must be 1"))) {
            throw error(file, version.location, "version must be 1 (the only format version)");
        }
        Node rulesNode = top.get("rules");
        if (rulesNode == null) {
            throw error(file, root.location, "missing 'rules:' list");
        }
        Policy.Builder b = Policy.builder().name(file);
        Node minVersion = top.get("min-api-version");
        if (minVersion != null) {
            try {
                b.minApiVersion(
                        minVersion.scalar(file, "min-api-version must be a version such as 1.24"));
            } catch (IllegalArgumentException e) {
                throw error(file, minVersion.location, e.getMessage());
            }
        }
        int index = 0;
        for (Node r : rulesNode.asList(file, "'rules' must be a list of rules")) {
            index++;
            b.rules(compileRule(r, file, index));
        }
        return b.build();
    }

    private static List<Rule> compileRule(Node node, String file, int index) {
        Map<String, Node> m =
                node.asMap(
                        file,
                        "each rule must be a mapping, e.g. '- {action: allow, endpoints: [system.ping]}'");
        checkKeys(m, RULE_KEYS, file, "rule");
        RuleSource src =
                RuleSource.file(file, node.location.getLineNr(), node.location.getColumnNr());
        if (m.containsKey("preset")) {
            if (m.size() != 1) {
                throw error(file, node.location, "a '- preset: NAME' entry takes no other keys");
            }
            Node p = m.get("preset");
            String name = p.scalar(file, "preset must be a name");
            try {
                return Presets.rules(name);
            } catch (IllegalArgumentException e) {
                throw error(file, p.location, e.getMessage());
            }
        }
        Node actionNode = m.get("action");
        if (actionNode == null) {
            throw error(
                    file,
                    node.location,
                    "rule " + index + " has no 'action:'; use 'action: allow' or 'action: deny'");
        }
        String action = actionNode.scalar(file, "action must be allow or deny");
        Rule.Builder rb;
        if ("allow".equals(action)) {
            rb = Rule.allow();
        } else if ("deny".equals(action)) {
            rb = Rule.deny();
        } else {
            throw error(
                    file,
                    actionNode.location,
                    "action must be 'allow' or 'deny', not '" + Texts.printable(action) + "'");
        }
        rb.source(src);
        rb.name(
                m.containsKey("name")
                        ? m.get("name").scalar(file, "name must be text")
                        : action + "-rule-" + index);
        for (Map.Entry<String, Node> e : m.entrySet()) {
            Node v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "methods":
                        for (Node x : v.asScalarList(file)) {
                            rb.methods(x.scalar(file, "method must be text"));
                        }
                        break;
                    case "endpoints":
                        for (Node x : v.asScalarList(file)) {
                            rb.endpoints(x.scalar(file, "endpoint must be text"));
                        }
                        break;
                    case "sections":
                        for (Node x : v.asScalarList(file)) {
                            rb.sections(Section.fromName(x.scalar(file, "section must be text")));
                        }
                        break;
                    case "access":
                        for (Node x : v.asScalarList(file)) {
                            rb.access(AccessClass.fromId(x.scalar(file, "access must be text")));
                        }
                        break;
                    case "path":
                        rb.path(v.scalar(file, "path must be a regular expression string"));
                        break;
                    case "reason":
                        rb.reason(v.scalar(file, "reason must be text"));
                        break;
                    case "clients":
                        rb.clients(compileClients(v, file));
                        break;
                    case "body":
                        if ("unrestricted".equals(v.text)) {
                            rb.unrestrictedBody();
                        } else {
                            rb.body(compileBody(v, file));
                        }
                        break;
                    default:
                        break;
                }
            } catch (IllegalArgumentException ex) {
                throw error(file, v.location, ex.getMessage());
            }
        }
        return List.of(rb.build());
    }

    private static BodyConstraints compileBody(Node node, String file) {
        Map<String, Node> m =
                node.asMap(
                        file,
                        "body must be 'unrestricted' or a mapping of constraints, e.g. "
                                + "{deny-privileged: true}");
        checkKeys(m, BODY_KEYS, file, "body");
        BodyConstraints.Builder b = BodyConstraints.builder();
        for (Map.Entry<String, Node> e : m.entrySet()) {
            Node v = e.getValue();
            String key = e.getKey();
            if (key.equals("bind-sources")) {
                if (v.list == null && "any".equals(v.text)) {
                    b.bindSources(null);
                } else {
                    List<String> sources = new ArrayList<>();
                    for (Node x : v.asScalarList(file)) {
                        sources.add(x.scalar(file, "bind-sources entries must be absolute paths"));
                    }
                    try {
                        b.bindSources(sources);
                    } catch (IllegalArgumentException ex) {
                        throw error(file, v.location, ex.getMessage());
                    }
                }
                continue;
            }
            if (key.equals("images") || key.equals("allow-fields")) {
                List<String> entries = new ArrayList<>();
                for (Node x : v.asScalarList(file)) {
                    entries.add(x.scalar(file, key + " entries must be text"));
                }
                try {
                    if (key.equals("images")) {
                        b.images(entries);
                    } else {
                        b.allowFields(entries);
                    }
                } catch (IllegalArgumentException ex) {
                    throw error(file, v.location, ex.getMessage());
                }
                continue;
            }
            String text = v.scalar(file, key + " must be a scalar");
            if (key.equals("max-bytes")) {
                try {
                    b.maxBytes(Integer.parseInt(text));
                } catch (IllegalArgumentException ex) {
                    throw error(
                            file, v.location, "max-bytes must be a positive whole number of bytes");
                }
                continue;
            }
            Boolean on = TecnativaEnv.parseBoolean(text);
            if (on == null) {
                throw error(file, v.location, key + " must be true or false");
            }
            switch (key) {
                case "deny-privileged":
                    b.denyPrivileged(on);
                    break;
                case "deny-host-namespaces":
                    b.denyHostNamespaces(on);
                    break;
                case "deny-capabilities":
                    b.denyCapabilities(on);
                    break;
                case "deny-devices":
                    b.denyDevices(on);
                    break;
                case "deny-security-options":
                    b.denySecurityOptions(on);
                    break;
                case "deny-published-ports":
                    b.denyPublishedPorts(on);
                    break;
                case "deny-root-user":
                    b.denyRootUser(on);
                    break;
                default:
                    b.denyDockerSocket(on);
                    break;
            }
        }
        return b.build();
    }

    private static ClientMatcher compileClients(Node node, String file) {
        Map<String, Node> m =
                node.asMap(
                        file, "clients must be a mapping with uids, gids, addresses or transports");
        checkKeys(m, CLIENT_KEYS, file, "clients");
        ClientMatcher.Builder cb = ClientMatcher.builder();
        for (Map.Entry<String, Node> e : m.entrySet()) {
            for (Node x : e.getValue().asScalarList(file)) {
                String v = x.scalar(file, e.getKey() + " entries must be scalars");
                try {
                    switch (e.getKey()) {
                        case "uids":
                            cb.uid(Long.parseLong(v));
                            break;
                        case "gids":
                            cb.gid(Long.parseLong(v));
                            break;
                        case "addresses":
                            cb.network(v);
                            break;
                        default:
                            cb.transport(v);
                            break;
                    }
                } catch (NumberFormatException ex) {
                    throw error(file, x.location, "'" + Texts.printable(v) + "' is not a number");
                } catch (IllegalArgumentException ex) {
                    throw error(file, x.location, ex.getMessage());
                }
            }
        }
        return cb.build();
    }

    private static void checkKeys(
            Map<String, Node> m, Set<String> allowed, String file, String what) {
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw error(
                        file,
                        e.getValue().keyLocation,
                        "unknown "
                                + what
                                + " key '"
                                + Texts.printable(e.getKey())
                                + "'; allowed keys: "
                                + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static ConfigException error(String file, JsonLocation loc, String message) {
        return new ConfigException(where(file, loc), message);
    }

    private static String where(String file, JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return file;
        }
        return file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    // A tiny located YAML tree: Jackson's own tree model drops locations.
    private static Node read(JsonParser p, String file) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> map = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonLocation keyLoc = p.currentTokenLocation();
                if (map.containsKey(key)) {
                    throw error(file, keyLoc, "duplicate key '" + Texts.printable(key) + "'");
                }
                p.nextToken();
                Node value = read(p, file);
                value.keyLocation = keyLoc;
                map.put(key, value);
            }
            return new Node(loc, map, null, null);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(p, file));
            }
            return new Node(loc, null, list, null);
        }
        return new Node(loc, null, null, t == JsonToken.VALUE_NULL ? null : p.getText());
    }

    private static final class Node {
        final JsonLocation location;
        JsonLocation keyLocation;
        final Map<String, Node> map;
        final List<Node> list;
        final String text;

        Node(JsonLocation location, Map<String, Node> map, List<Node> list, String text) {
            this.location = location;
            this.keyLocation = location;
            this.map = map;
            this.list = list;
            this.text = text;
        }

        Map<String, Node> asMap(String file, String message) {
            if (map == null) {
                throw error(file, location, message);
            }
            return map;
        }

        List<Node> asList(String file, String message) {
            if (list == null) {
                throw error(file, location, message);
            }
            return list;
        }

        /** A list of scalars; a single scalar is accepted as a one-element list. */
        List<Node> asScalarList(String file) {
            if (list != null) {
                return list;
            }
            if (map != null) {
                throw error(file, location, "expected a list like [a, b], found a mapping");
            }
            return List.of(this);
        }

        String scalar(String file, String message) {
            if (text == null) {
                throw error(file, location, message);
            }
            return text;
        }
    }
}
