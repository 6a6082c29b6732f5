package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.DaemonView;
import dev.dockerproxy.policy.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Admission control: judges what an allowed write would make the daemon do. Bodies are decoded as
 * the daemon decodes them ({@link StrictJson}), walked against the field table ({@link Bodies}),
 * queries against {@link Queries}; objects a body borrows from are looked up through a {@link
 * DaemonView}. Pure apart from those look-ups; stateless and thread-safe.
 */
public final class Admission {

    /**
     * Every endpoint whose body this class judges (read whole, bounded, then forwarded as read).
     */
    public static final Set<String> BODY_ENDPOINTS =
            Set.of(
                    "containers.create",
                    "containers.update",
                    "containers.exec.create",
                    "services.create",
                    "services.update",
                    "volumes.create",
                    "plugins.pull",
                    "plugins.upgrade",
                    "plugins.set",
                    "containers.start");

    /** Endpoints whose query this class judges, with the request head. */
    public static final Set<String> QUERY_ENDPOINTS =
            Set.of(
                    "build.create",
                    "images.create",
                    "plugins.pull",
                    "plugins.upgrade",
                    "containers.create",
                    "services.update",
                    "plugins.create");

    private Admission() {}

    /** Whether this class judges the endpoint's body or query. */
    public static boolean judges(String endpointId) {
        return BODY_ENDPOINTS.contains(endpointId) || QUERY_ENDPOINTS.contains(endpointId);
    }

    /**
     * Judges a request's query (and, for endpoints whose input cannot be judged at all, the
     * request).
     *
     * @return what is refused, each as "where=value: why (setting)"; empty when it may pass
     */
    public static List<String> judgeQuery(
            String endpointId, String rawQuery, BodyConstraints constraints) {
        if (constraints.unrestricted() || !QUERY_ENDPOINTS.contains(endpointId)) {
            return List.of();
        }
        if ((rawQuery == null || rawQuery.isEmpty()) && !endpointId.equals("plugins.create")) {
            return List.of(); // nothing to judge (and no table to load for the start-up permission
            // matrix)
        }
        Check check = new Check(constraints, DaemonView.NONE);
        if (endpointId.equals("plugins.create")) {
            if (constraints.denyPrivileged()) {
                check.refuse(
                        Place.ROOT,
                        null,
                        "a plugin built from a tar archive can ask for any privilege, and "
                                + "the proxy cannot read them",
                        "a rule with body: unrestricted allows it");
            }
        } else {
            Queries.judge(rawQuery, Queries.BY_ENDPOINT.get(endpointId), check);
        }
        return describe(check);
    }

    /**
     * Judges a request body.
     *
     * @param body the body exactly as it will be forwarded
     * @param daemon where to look up borrowed objects and the guarded socket
     * @return what is refused; empty when the body may pass
     */
    public static List<String> judgeBody(
            String endpointId, byte[] body, BodyConstraints constraints, DaemonView daemon) {
        if (endpointId.equals("containers.start")) {
            return body.length == 0
                    ? List.of()
                    : List.of(
                            "a start request carries no body since API 1.24; before "
                                    + "that the daemon applied it as the container's HostConfig, so the proxy refuses any (send none)");
        }
        if (constraints.unrestricted() || !BODY_ENDPOINTS.contains(endpointId)) {
            return List.of();
        }
        Object json;
        try {
            json = StrictJson.parse(body);
        } catch (StrictJson.RefusedBodyException e) {
            return List.of(e.getMessage());
        }
        Check check = new Check(constraints, daemon);
        if (Bodies.ARRAY_BODIES.contains(endpointId)) {
            judgePlugin(endpointId, json, check);
        } else if (endpointId.equals("containers.create")) {
            judgeCreate(json, check);
        } else {
            check.walk(json, Bodies.BY_ENDPOINT.get(endpointId), Place.ROOT);
        }
        return describe(check);
    }

    /**
     * The create body: ContainerConfig and the wrapper's fields at the top level; any HostConfig
     * field there too, because the daemon reads them from the top level when {@code HostConfig} is
     * absent or null (and merges some of them even when it is not), so they are judged wherever
     * they stand.
     */
    private static void judgeCreate(Object json, Check check) {
        if (Check.absent(json)) {
            return;
        }
        if (!(json instanceof StrictJson.JsonObject)) {
            check.refuse(Place.ROOT, json, "is not a JSON object", "send a JSON object");
            return;
        }
        StrictJson.JsonObject body = (StrictJson.JsonObject) json;
        for (String key : body.keySet()) {
            Model.Field f = Bodies.CONTAINER_CREATE.field(key);
            if (f != null) {
                check.visit(f, body.get(key), Place.ROOT.child(f.name()));
                continue;
            }
            Model.Field host = Bodies.HOST_CONFIG.field(key);
            check.visit(
                    host,
                    body.get(key),
                    host != null
                            ? Place.fallback(host.name(), "HostConfig")
                            : Place.ROOT.child(Texts.printable(body.spelled(key))));
        }
    }

    /**
     * Plugin pull/upgrade grant privileges; plugin set can point mounts and devices at host paths.
     */
    private static void judgePlugin(String endpointId, Object json, Check check) {
        List<?> entries = check.list(json, Place.ROOT);
        if (!check.constraints().denyPrivileged()) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            Place at = Place.ROOT.index(i);
            if (endpointId.equals("plugins.set")) {
                String setting = entry instanceof String ? (String) entry : "";
                int eq = setting.indexOf('=');
                String name = eq < 0 ? setting : setting.substring(0, eq);
                if (!(entry instanceof String) || name.contains(".")) {
                    check.refuse(
                            at,
                            entry,
                            "sets a plugin mount source or device path on the host",
                            Judges.PRIVILEGED);
                }
            } else {
                check.refuse(
                        at,
                        StrictJson.at(entry, "Name"),
                        "grants the plugin a privilege; plugins run as root "
                                + "on the host with what they are granted",
                        Judges.PRIVILEGED);
            }
        }
    }

    private static List<String> describe(Check check) {
        List<String> out = new ArrayList<>();
        for (Finding f : check.findings()) {
            out.add(f.describe());
        }
        return out;
    }

    /**
     * A request whose body is an HTML form: the daemon would read its fields as query parameters
     * (Go's {@code ParseForm}), so its query could not be judged. No Docker API endpoint takes one.
     *
     * @return the refusal, or {@code null} when the content type is anything else
     */
    public static String formBodyRefusal(String contentType) {
        if (contentType == null) {
            return null;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/x-www-form-urlencoded")
                ? "the body is an HTML form (Content-Type application/x-www-form-urlencoded): the daemon would read "
                        + "its fields as query parameters, and no Docker API endpoint takes a form; send the parameters "
                        + "in the query"
                : null;
    }
}
