package dev.dockerproxy.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * Tells who answered a probe: the daemon or the proxy in front of it.
 *
 * <ol>
 *   <li>401, 403, 405 and 407 are refusals: <b>blocked</b>. (The Docker daemon answers a wrong
 *       method with 404, never 405; a 403 from the daemon only comes from an authorization plugin,
 *       which blocks the request too.)
 *   <li>1xx, 2xx and 3xx: the daemon served it: <b>reachable</b>.
 *   <li>An answer carrying the daemon's headers ({@code Api-Version}, {@code Server: Docker/...})
 *       is the daemon's: <b>reachable</b> (e.g. 404 {@code No such container}, 400, 409, 500, 503
 *       "not a swarm manager"), and so is one with a Docker media type: for attach to a missing
 *       container the daemon hijacks the connection and writes {@code 404} with {@code
 *       application/vnd.docker.raw-stream} and the error as plain text.
 *   <li>502, 503 and 504 without those headers: the proxy could not reach the daemon:
 *       <b>inconclusive</b>.
 *   <li>A Docker error body {@code {"message": "..."}} that is not a proxy denial ({@code denied:
 *       ...}) is the daemon's: <b>reachable</b> (its {@code 404 page not found} carries no {@code
 *       Api-Version}).
 *   <li>Any other 4xx (a proxy's HTML or plain-text error, our {@code denied:} JSON):
 *       <b>blocked</b>; any other 5xx: <b>inconclusive</b>.
 * </ol>
 */
public final class Classifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An outcome with the reason shown in the report. */
    public record Classification(Outcome outcome, String detail) {}

    private Classifier() {}

    public static Classification classify(ProbeHttp.Response r) {
        int s = r.status();
        String message = dockerMessage(r);
        boolean denial = message != null && isProxyDenial(message);
        if (s == 401 || s == 403 || s == 405 || s == 407) {
            return new Classification(
                    Outcome.BLOCKED,
                    message != null
                            ? (denial ? "proxy: " : "refused: ") + shorten(message)
                            : "refused with HTTP "
                                    + s
                                    + " ("
                                    + contentType(r)
                                    + ", not the daemon's error shape)");
        }
        if (s < 400) {
            return new Classification(Outcome.REACHABLE, "daemon answered " + s);
        }
        if (daemonHeaders(r)) {
            return new Classification(
                    Outcome.REACHABLE,
                    "daemon: " + (message == null ? "HTTP " + s : shorten(message)));
        }
        if (s == 502 || s == 503 || s == 504) {
            return new Classification(
                    Outcome.INCONCLUSIVE,
                    "gateway error "
                            + s
                            + (message == null ? "" : ": " + shorten(message))
                            + " (the daemon did not answer)");
        }
        if (message != null && !denial) {
            return new Classification(Outcome.REACHABLE, "daemon: " + shorten(message));
        }
        if (s < 500) {
            return new Classification(
                    Outcome.BLOCKED,
                    message != null
                            ? "proxy: " + shorten(message)
                            : "refused with HTTP "
                                    + s
                                    + " ("
                                    + contentType(r)
                                    + ", not the daemon's error shape)");
        }
        return new Classification(
                Outcome.INCONCLUSIVE, "HTTP " + s + " without the daemon's signature");
    }

    /** Whether the message is a proxy's refusal rather than the daemon's error. */
    static boolean isProxyDenial(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.startsWith("denied:")
                || m.contains("the proxy refuses it")
                || m.contains("docker-socket-proxy");
    }

    private static boolean daemonHeaders(ProbeHttp.Response r) {
        String server = r.header("Server");
        String type = r.header("Content-Type");
        return r.header("Api-Version") != null
                || (server != null && server.startsWith("Docker/"))
                || (type != null && type.startsWith("application/vnd.docker."));
    }

    /** The {@code message} of a Docker-shaped JSON error body, or null. */
    static String dockerMessage(ProbeHttp.Response r) {
        if (r.body().length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n != null && n.isObject() && n.path("message").isTextual()) {
                return n.get("message").asText();
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
        return null;
    }

    private static String contentType(ProbeHttp.Response r) {
        String ct = r.header("Content-Type");
        return ct == null ? "no content type" : ct;
    }

    static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
