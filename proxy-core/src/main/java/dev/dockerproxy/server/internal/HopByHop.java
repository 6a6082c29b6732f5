package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hop-by-hop header handling (RFC 9110 section 7.6.1): {@code Connection} and every header it
 * names, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade} and {@code Proxy-*} are never copied; framing headers are recomputed by the
 * proxy.
 */
public final class HopByHop {

    /** Compared case-insensitively, so header names are looked up without being lower-cased. */
    private static final Set<String> ALWAYS = caseInsensitive("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "content-length");

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Arrays.asList(names));
        return Collections.unmodifiableSet(set);
    }

    private HopByHop() {
    }

    /** Copies the end-to-end headers of {@code from} to {@code to}, skipping {@code alsoSkip} (lower case). */
    public static void copyEndToEnd(HttpMessage from, HttpMessage to, Set<String> alsoSkip) {
        Set<String> named = connectionTokens(from);
        for (Header h : from.getHeaders()) {
            String name = h.getName();
            if (ALWAYS.contains(name) || name.regionMatches(true, 0, "proxy-", 0, 6)
                    || (!named.isEmpty() && named.contains(name.toLowerCase(Locale.ROOT)))
                    || (!alsoSkip.isEmpty() && alsoSkip.contains(name.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            to.addHeader(name, h.getValue());
        }
    }

    /** The lower-case tokens of all {@code Connection} headers. */
    public static Set<String> connectionTokens(HttpMessage message) {
        if (!message.containsHeader("Connection")) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (Header h : message.getHeaders("Connection")) {
            for (String t : h.getValue().split(",")) {
                String token = t.trim().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /** Whether the message has {@code Connection: close}. */
    public static boolean wantsClose(HttpMessage message) {
        return connectionTokens(message).contains("close");
    }

    /** Whether the message has {@code Connection: keep-alive} (needed for HTTP/1.0). */
    public static boolean wantsKeepAlive(HttpMessage message) {
        return connectionTokens(message).contains("keep-alive");
    }

    /** Whether the message asks for a protocol upgrade ({@code Upgrade} header present). */
    public static boolean hasUpgrade(HttpMessage message) {
        return message.containsHeader("Upgrade");
    }
}
