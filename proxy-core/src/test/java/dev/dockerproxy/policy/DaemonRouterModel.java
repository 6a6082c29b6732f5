package dev.dockerproxy.policy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An independent model of how the Docker daemon routes a request, built from the route table alone
 * (not from {@link EndpointCatalog}): Go's {@code net/url} decodes the path once (any {@code %XX},
 * including {@code %2F}), gorilla/mux answers a non-clean path with a redirect, and otherwise every
 * route registered with and without the {@code /v{version:[0-9.]+}} prefix is a candidate. The
 * model returns all candidate routes, so properties hold whatever the daemon's registration order
 * is.
 */
final class DaemonRouterModel {

    record Outcome(boolean rejected, boolean redirected, List<RouteTable.Route> candidates) {
        boolean routes() {
            return !rejected && !redirected && !candidates.isEmpty();
        }
    }

    private record Compiled(RouteTable.Route route, Pattern plain, Pattern versioned) {}

    private final List<Compiled> routes = new ArrayList<>();

    DaemonRouterModel(List<RouteTable.Route> table) {
        for (RouteTable.Route r : table) {
            String regex = muxRegex(r.template());
            routes.add(
                    new Compiled(
                            r,
                            Pattern.compile("^" + regex + "$", Pattern.DOTALL),
                            Pattern.compile("^/v[0-9.]+" + regex + "$", Pattern.DOTALL)));
        }
    }

    private static String muxRegex(String template) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                sb.append(Pattern.quote(template.substring(i)));
                break;
            }
            sb.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            String var = template.substring(open + 1, close);
            int colon = var.indexOf(':');
            sb.append('(').append(colon < 0 ? "[^/]+" : var.substring(colon + 1)).append(')');
            i = close + 1;
        }
        return sb.toString();
    }

    Outcome route(String method, String target) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        if (!rawPath.startsWith("/")) {
            return new Outcome(true, false, List.of());
        }
        String path = goUnescape(rawPath);
        if (path == null) {
            return new Outcome(true, false, List.of());
        }
        if (!cleanPath(path).equals(path)) {
            return new Outcome(false, true, List.of());
        }
        List<RouteTable.Route> hits = new ArrayList<>();
        for (Compiled c : routes) {
            if (c.route().method().equals(method)
                    && (c.plain().matcher(path).matches()
                            || c.versioned().matcher(path).matches())) {
                hits.add(c.route());
            }
        }
        return new Outcome(false, false, hits);
    }

    /** Go's url.PathUnescape: every %XX decoded; a malformed escape is an error (null). */
    static String goUnescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int h = Character.digit(s.charAt(i + 1), 16);
                int l = Character.digit(s.charAt(i + 2), 16);
                if (h < 0 || l < 0) {
                    return null;
                }
                out.write(h * 16 + l);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** gorilla/mux cleanPath: Go's path.Clean, keeping a trailing slash. */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        List<String> out = new ArrayList<>();
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(seg);
        }
        String np = "/" + String.join("/", out);
        if (p.endsWith("/") && !np.equals("/")) {
            np += "/";
        }
        return np;
    }
}
