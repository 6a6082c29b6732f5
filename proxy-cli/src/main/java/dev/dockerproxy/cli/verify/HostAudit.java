package dev.dockerproxy.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the host runs, seen through read-only requests ({@code GET /containers/json?all=1},
 * container and network inspect): containers that mount the Docker socket directly, privileged
 * containers, containers on the host network or PID namespace, and whether the proxy's network is
 * internal.
 *
 * @param source how the host was seen ({@code target} or {@code --docker-host URL}), or null
 * @param unavailableReason why there is no audit, or null
 * @param containers how many containers were inspected
 * @param socketMounts containers (not the proxy) that bind-mount the Docker socket, with the mount
 * @param privileged privileged containers
 * @param hostNetwork containers on the host network
 * @param hostPid containers in the host PID namespace
 * @param proxyContainers the containers identified as the proxy
 * @param proxyNetwork {@code internal}, {@code not internal: ...} or {@code unknown (...)}
 */
public record HostAudit(
        String source,
        String unavailableReason,
        int containers,
        List<String> socketMounts,
        List<String> privileged,
        List<String> hostNetwork,
        List<String> hostPid,
        List<String> proxyContainers,
        String proxyNetwork) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CONTAINERS = 500;

    public static HostAudit unavailable(String reason) {
        return new HostAudit(
                null,
                reason,
                0,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "unknown (no host audit)");
    }

    public boolean available() {
        return unavailableReason == null;
    }

    /** Whether the audit found something to fix. */
    public boolean hasFindings() {
        return !socketMounts.isEmpty()
                || !privileged.isEmpty()
                || !hostNetwork.isEmpty()
                || !hostPid.isEmpty()
                || proxyNetwork.startsWith("not internal");
    }

    /**
     * Audits the host through {@code http}.
     *
     * @param source shown in the report
     * @param prefix the API version prefix, e.g. {@code /v1.41}, or empty
     * @param proxyHost the host name or address the proxy was reached at (to recognise its
     *     container)
     * @param proxyPort its port (-1 for UNIX sockets)
     * @param proxyContainer a container name or id given by the user, or null
     */
    public static HostAudit run(
            ProbeHttp http,
            String source,
            String prefix,
            String proxyHost,
            int proxyPort,
            String proxyContainer) {
        JsonNode list;
        try {
            ProbeHttp.Response r =
                    http.send("GET", prefix + "/containers/json?all=1", null, null, true);
            if (r.status() != 200) {
                return unavailable(
                        "GET /containers/json answered " + r.status() + " via " + source);
            }
            list = JSON.readTree(r.body());
        } catch (IOException e) {
            return unavailable("GET /containers/json failed via " + source + ": " + e.getMessage());
        }
        if (list == null || !list.isArray()) {
            return unavailable("GET /containers/json did not return a list via " + source);
        }
        Set<String> proxyAddresses = addresses(proxyHost);
        List<String> mounts = new ArrayList<>();
        List<String> privileged = new ArrayList<>();
        List<String> hostNet = new ArrayList<>();
        List<String> hostPid = new ArrayList<>();
        List<String> proxies = new ArrayList<>();
        List<JsonNode> proxyInspects = new ArrayList<>();
        List<JsonNode> inspects = new ArrayList<>();
        int inspected = 0;
        for (JsonNode c : list) {
            if (inspected >= MAX_CONTAINERS) {
                break;
            }
            String id = c.path("Id").asText();
            JsonNode inspect;
            try {
                ProbeHttp.Response r =
                        http.send(
                                "GET",
                                prefix + "/containers/" + enc(id) + "/json",
                                null,
                                null,
                                true);
                if (r.status() != 200) {
                    return unavailable(
                            "container inspect answered "
                                    + r.status()
                                    + " via "
                                    + source
                                    + " (the audit needs GET /containers/{id}/json)");
                }
                inspect = JSON.readTree(r.body());
            } catch (IOException e) {
                return unavailable(
                        "container inspect failed via " + source + ": " + e.getMessage());
            }
            inspected++;
            inspects.add(inspect);
            if (isProxy(inspect, proxyHost, proxyAddresses, proxyPort, proxyContainer)) {
                proxies.add(name(inspect));
                proxyInspects.add(inspect);
            }
        }
        for (JsonNode inspect : inspects) {
            String name = name(inspect);
            boolean isProxy = proxyInspects.contains(inspect);
            for (JsonNode m : inspect.path("Mounts")) {
                String src = m.path("Source").asText("");
                String dst = m.path("Destination").asText("");
                if (socketPath(src) || socketPath(dst)) {
                    if (!isProxy) {
                        mounts.add(
                                name
                                        + ": "
                                        + src
                                        + " -> "
                                        + dst
                                        + " ("
                                        + (m.path("RW").asBoolean(true)
                                                ? "read-write"
                                                : "read-only")
                                        + ")");
                    }
                }
            }
            JsonNode hc = inspect.path("HostConfig");
            if (hc.path("Privileged").asBoolean(false)) {
                privileged.add(name);
            }
            if ("host".equals(hc.path("NetworkMode").asText())) {
                hostNet.add(name);
            }
            if ("host".equals(hc.path("PidMode").asText())) {
                hostPid.add(name);
            }
        }
        String network = proxyNetwork(http, prefix, proxyInspects, proxyHost);
        return new HostAudit(
                source, null, inspected, mounts, privileged, hostNet, hostPid, proxies, network);
    }

    private static String proxyNetwork(
            ProbeHttp http, String prefix, List<JsonNode> proxies, String proxyHost) {
        if (proxies.isEmpty()) {
            return "unknown (no container was recognised as the proxy at "
                    + proxyHost
                    + "; name it with --proxy-container)";
        }
        List<String> notInternal = new ArrayList<>();
        List<String> internal = new ArrayList<>();
        for (JsonNode p : proxies) {
            if ("host".equals(p.path("HostConfig").path("NetworkMode").asText())) {
                notInternal.add("host (" + name(p) + ")");
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> it =
                    p.path("NetworkSettings").path("Networks").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> net = it.next();
                String id = net.getValue().path("NetworkID").asText(net.getKey());
                try {
                    ProbeHttp.Response r =
                            http.send("GET", prefix + "/networks/" + enc(id), null, null, true);
                    if (r.status() != 200) {
                        return "unknown (network inspect answered " + r.status() + ")";
                    }
                    JsonNode n = JSON.readTree(r.body());
                    if (n.path("Internal").asBoolean(false)) {
                        internal.add(net.getKey());
                    } else {
                        notInternal.add(net.getKey());
                    }
                } catch (IOException e) {
                    return "unknown (network inspect failed: " + e.getMessage() + ")";
                }
            }
        }
        if (!notInternal.isEmpty()) {
            return "not internal: "
                    + String.join(", ", notInternal)
                    + " (containers there can reach the outside; use an internal: true network)";
        }
        if (internal.isEmpty()) {
            return "unknown (the proxy container has no networks)";
        }
        return "internal (" + String.join(", ", internal) + ")";
    }

    private static boolean isProxy(
            JsonNode inspect, String host, Set<String> addresses, int port, String proxyContainer) {
        String name = name(inspect);
        String id = inspect.path("Id").asText();
        if (proxyContainer != null) {
            return proxyContainer.equals(name)
                    || (proxyContainer.length() >= 4 && id.startsWith(proxyContainer));
        }
        if (host == null) {
            return false;
        }
        if (host.equals(name) || host.equals(inspect.path("Config").path("Hostname").asText())) {
            return true;
        }
        Iterator<JsonNode> nets = inspect.path("NetworkSettings").path("Networks").elements();
        while (nets.hasNext()) {
            JsonNode n = nets.next();
            if (addresses.contains(n.path("IPAddress").asText("-"))) {
                return true;
            }
            for (JsonNode alias : n.path("Aliases")) {
                if (host.equals(alias.asText())) {
                    return true;
                }
            }
        }
        if (port > 0
                && (addresses.contains("127.0.0.1") || addresses.contains("0:0:0:0:0:0:0:1"))) {
            Iterator<JsonNode> ports = inspect.path("NetworkSettings").path("Ports").elements();
            while (ports.hasNext()) {
                for (JsonNode binding : ports.next()) {
                    if (String.valueOf(port).equals(binding.path("HostPort").asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Set<String> addresses(String host) {
        Set<String> out = new LinkedHashSet<>();
        if (host == null) {
            return out;
        }
        out.add(host);
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(a.getHostAddress());
            }
        } catch (IOException | RuntimeException unresolvable) {
            // names only
        }
        return out;
    }

    /** Whether a mount source or destination is the Docker socket or the directory holding it. */
    static boolean socketPath(String p) {
        String s = p.toLowerCase(Locale.ROOT);
        return s.endsWith("docker.sock")
                || s.equals("/var/run")
                || s.equals("/run")
                || s.equals("/var/run/docker")
                || s.equals("/run/docker");
    }

    private static String name(JsonNode inspect) {
        String n = inspect.path("Name").asText(inspect.path("Id").asText("?"));
        return n.startsWith("/") ? n.substring(1) : n;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
