package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.Texts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query parameters the daemon reads on the writes whose query can grant power (image build,
 * image pull, plugin pull), classified like body fields, and a decoder that reads a query as Go's
 * {@code url.ParseQuery} does. Parameter names are case-sensitive, as the daemon's form look-ups
 * are.
 */
public final class Queries {

    private static final Judge NETWORK_MODE =
            (value, at, check) -> {
                String mode = (String) value;
                if (mode.startsWith("container:")) {
                    check.refuse(
                            at,
                            value,
                            "runs the build's steps in another container's network; the proxy does not "
                                    + "judge build containers' borrowing",
                            Judges.NAMESPACES);
                } else {
                    Judges.HOST_ONLY_NAMESPACE.judge(value, at, check);
                }
            };

    private static final Judge BUILDER_VERSION =
            (value, at, check) -> {
                if ("2".equals(value)) {
                    check.refuse(
                            at,
                            value,
                            "selects BuildKit, whose build steps (RUN --network=host, --security=insecure "
                                    + "with the daemon's entitlements) the proxy cannot see",
                            Check.allowFieldHint(at));
                }
            };

    private static final Judge IMPORT_SOURCE =
            (value, at, check) -> {
                if (!value.equals("-") && Check.set(value)) {
                    check.refuse(
                            at, value, "makes the daemon fetch a URL", Check.allowFieldHint(at));
                }
            };

    static final Model BUILD =
            Model.named("build query")
                    .harmless(
                            "dockerfile",
                            "t",
                            "extrahosts",
                            "q",
                            "nocache",
                            "cachefrom",
                            "pull",
                            "rm",
                            "forcerm",
                            "memory",
                            "memswap",
                            "cpushares",
                            "cpusetcpus",
                            "cpusetmems",
                            "cpuperiod",
                            "cpuquota",
                            "buildargs",
                            "shmsize",
                            "squash",
                            "labels",
                            "platform",
                            "target",
                            "outputs",
                            "ulimits",
                            "isolation",
                            "session",
                            "buildid")
                    .judged("networkmode", NETWORK_MODE)
                    .judged("version", BUILDER_VERSION)
                    .dangerous(
                            "cgroupparent",
                            Judges.dangerous(
                                    "places the build's containers in a cgroup of the host's "
                                            + "choosing"))
                    .dangerous(
                            "securityopt",
                            Judges.whenSet(
                                    c -> c.denySecurityOptions(),
                                    "changes the build containers' " + "confinement",
                                    Judges.SECURITY))
                    .dangerous(
                            "remote",
                            Judges.dangerous("makes the daemon fetch the build context from a URL"))
                    .build();

    static final Model IMAGE_CREATE =
            Model.named("image create query")
                    .judged("fromImage", Judges.IMAGE)
                    .judged("fromSrc", IMPORT_SOURCE)
                    .harmless("repo", "tag", "message", "changes", "platform")
                    .build();

    static final Model PLUGIN_PULL =
            Model.named("plugin pull query")
                    .judged("remote", Judges.IMAGE)
                    .harmless("name")
                    .build();

    /** Query models by endpoint id; other judged endpoints take no power-granting parameters. */
    public static final Map<String, Model> BY_ENDPOINT =
            Map.of(
                    "build.create", BUILD,
                    "images.create", IMAGE_CREATE,
                    "plugins.pull", PLUGIN_PULL,
                    "plugins.upgrade", PLUGIN_PULL,
                    "containers.create",
                            Model.named("container create query")
                                    .harmless("name", "platform")
                                    .build(),
                    "services.update",
                            Model.named("service update query")
                                    .harmless("version", "registryAuthFrom", "rollback")
                                    .build());

    private Queries() {}

    /** Judges every parameter of a query against its model. */
    static void judge(String rawQuery, Model model, Check check) {
        List<String[]> pairs;
        try {
            pairs = parse(rawQuery);
        } catch (IllegalArgumentException e) {
            check.refuse(
                    Place.ROOT,
                    null,
                    "the query cannot be read unambiguously (" + e.getMessage() + ")",
                    "send a query of name=value pairs joined by &, percent-encoded");
            return;
        }
        for (String[] pair : pairs) {
            Model.Field f = model.field(Keys.fold(pair[0]));
            if (f != null && !f.name().equals(pair[0])) {
                f = null; // the daemon's form look-ups are case-sensitive: this parameter is
                // not the field
            }
            check.visit(
                    f,
                    pair[1],
                    new Place("query parameter " + Texts.printable(pair[0]), pair[0], false));
        }
    }

    /**
     * Go's {@code url.ParseQuery}: {@code &}-separated, {@code +} is a space; a {@code ;} or a bad
     * escape is an error.
     */
    static List<String[]> parse(String rawQuery) {
        List<String[]> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.indexOf(';') >= 0) {
                throw new IllegalArgumentException("a ';' in the query");
            }
            int eq = part.indexOf('=');
            String name = unescape(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : unescape(part.substring(eq + 1));
            out.add(new String[] {name, value});
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= s.length()
                        || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("a bad percent-escape");
                }
                out[n++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out[n++] = b;
                }
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
