package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hop-by-hop header handling (RFC 9110 section 7.6.1): {@code Connection} and every header it
 * names, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade} and {@code Proxy-*} are never copied; framing headers are recomputed by the
 * proxy.
 */
public final class HopByHop {

    private HopByHop() {
    }

    /**
     * Copies the end-to-end headers of {@code from} to {@code to}, skipping {@code alsoSkip} (lower case).
     * The header objects themselves are copied (they are immutable), not re-created.
     */
    public static void copyEndToEnd(HttpMessage from, HttpMessage to, Set<String> alsoSkip) {
        int before = 0;
        for (Iterator<Header> it = to.headerIterator(); it.hasNext(); it.next()) {
            before++;
        }
        boolean connection = false;
        for (Iterator<Header> it = from.headerIterator(); it.hasNext(); ) {
            Header h = it.next();
            String name = h.getName();
            if (alwaysHopByHop(name)) {
                connection |= name.length() == 10 && name.equalsIgnoreCase("connection");
                continue;
            }
            if (!alsoSkip.isEmpty() && alsoSkip.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            to.addHeader(h);
        }
        if (connection) {
            dropNamedByConnection(from, to, before);
        }
    }

    /** Removes, from the headers copied to {@code to} (those after the first {@code keep}), the ones
     * {@code from}'s {@code Connection} headers name. */
    private static void dropNamedByConnection(HttpMessage from, HttpMessage to, int keep) {
        // "keep-alive", "upgrade", "te"...: names that are never copied anyway. Usually the only tokens: then
        // nothing is allocated (the lambda captures nothing).
        if (!anyConnectionToken(from, token -> !alwaysHopByHop(token))) {
            return;
        }
        Set<String> named = new HashSet<>();
        anyConnectionToken(from, token -> {
            if (!alwaysHopByHop(token)) {
                named.add(token);
            }
            return false;
        });
        Header[] all = to.getHeaders();
        List<Header> kept = new ArrayList<>(all.length);
        for (int i = 0; i < all.length; i++) {
            if (i < keep || !named.contains(all[i].getName().toLowerCase(Locale.ROOT))) {
                kept.add(all[i]);
            }
        }
        to.setHeaders(kept.toArray(new Header[0]));
    }

    /**
     * Whether a header is never forwarded whatever {@code Connection} says: {@code Connection},
     * {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade},
     * {@code Content-Length} (framing is recomputed) and {@code Proxy-*}. Any letter case; no copy of the
     * name is made (this runs for every header of every message).
     */
    static boolean alwaysHopByHop(String name) {
        if (name.length() >= 6 && name.regionMatches(true, 0, "proxy-", 0, 6)) {
            return true;
        }
        switch (name.length()) {
            case 2:
                return name.equalsIgnoreCase("te");
            case 7:
                return name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10:
                return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14:
                return name.equalsIgnoreCase("content-length");
            case 17:
                return name.equalsIgnoreCase("transfer-encoding");
            default:
                return false;
        }
    }

    /** The lower-case tokens of all {@code Connection} headers. */
    public static Set<String> connectionTokens(HttpMessage message) {
        if (!message.containsHeader("Connection")) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        anyConnectionToken(message, t -> {
            tokens.add(t);
            return false;
        });
        return tokens;
    }

    /** Whether the message has {@code Connection: close}. */
    public static boolean wantsClose(HttpMessage message) {
        return anyConnectionToken(message, "close"::equals);
    }

    /** Whether the message has {@code Connection: keep-alive} (needed for HTTP/1.0). */
    public static boolean wantsKeepAlive(HttpMessage message) {
        return anyConnectionToken(message, "keep-alive"::equals);
    }

    /**
     * Whether {@code test} holds for a token of the message's {@code Connection} headers (comma-separated,
     * trimmed, lower-cased, empty ones skipped); stops at the first that does. No set is built.
     */
    private static boolean anyConnectionToken(HttpMessage message, Predicate<String> test) {
        for (Iterator<Header> it = message.headerIterator("Connection"); it.hasNext(); ) {
            String value = it.next().getValue();
            String single = keepAliveOrClose(value);
            if (single != null) {                    // the usual one-token values, without split and lower-casing
                if (test.test(single)) {
                    return true;
                }
                continue;
            }
            for (String t : value.split(",")) {
                String token = t.trim().toLowerCase(Locale.ROOT);
                if (!token.isEmpty() && test.test(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code "keep-alive"} or {@code "close"} when that is the whole value (any case, no spaces), else null. */
    private static String keepAliveOrClose(String value) {
        if (value.length() == 10 && value.equalsIgnoreCase("keep-alive")) {
            return "keep-alive";
        }
        if (value.length() == 5 && value.equalsIgnoreCase("close")) {
            return "close";
        }
        return null;
    }

    /** Whether the message asks for a protocol upgrade ({@code Upgrade} header present). */
    public static boolean hasUpgrade(HttpMessage message) {
        return message.containsHeader("Upgrade");
    }
}
