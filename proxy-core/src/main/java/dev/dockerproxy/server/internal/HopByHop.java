package dev.dockerproxy.server.internal;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.message.MessageSupport;

/**
 * Hop-by-hop header handling (RFC 9110 section 7.6.1), on top of HttpCore's {@link MessageSupport}:
 * the headers it knows as hop-by-hop ({@code Connection}, {@code Keep-Alive}, {@code TE}, {@code
 * Transfer-Encoding}, {@code Upgrade}, {@code Content-Length}, {@code Host} and its {@code
 * Proxy-Authenticate/-Authorization}), plus {@code Trailer} and every {@code Proxy-*} header, plus
 * every name any {@code Connection} header lists, are never copied; framing headers are recomputed
 * by the proxy.
 *
 * <p>Two gaps in HttpCore 5.4 make this more than a call to {@link
 * MessageSupport#hopByHopConnectionSpecific}: that method reads only the first {@code Connection}
 * header (a second one's names would pass) and leaves {@code Trailer} and {@code Proxy-Connection}
 * out ({@code HopByHopTest} pins both).
 */
final class HopByHop {

    private HopByHop() {}

    /** Whether a header is never forwarded, whatever {@code Connection} says; any letter case. */
    static boolean isHopByHop(String name) {
        return MessageSupport.isHopByHop(name)
                || name.equalsIgnoreCase("Trailer")
                || name.regionMatches(true, 0, "proxy-", 0, 6);
    }

    /** The tokens of all the message's {@code Connection} headers, compared without letter case. */
    static Set<String> connectionTokens(HttpMessage message) {
        Set<String> tokens = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        MessageSupport.parseTokens(
                message,
                "Connection",
                token -> {
                    if (!token.isEmpty()) {
                        tokens.add(token);
                    }
                });
        return tokens;
    }

    /**
     * Whether a {@code Connection} header of the message lists {@code token} (any case, whole
     * tokens).
     */
    static boolean hasConnectionToken(HttpMessage message, String token) {
        return message.containsHeader("Connection") && connectionTokens(message).contains(token);
    }

    /**
     * Copies the end-to-end headers of {@code from} to {@code to}, skipping {@code alsoSkip} (lower
     * case). The header objects themselves are copied (they are immutable).
     */
    static void copyEndToEnd(HttpMessage from, HttpMessage to, Set<String> alsoSkip) {
        Set<String> named = from.containsHeader("Connection") ? connectionTokens(from) : Set.of();
        for (Iterator<Header> it = from.headerIterator(); it.hasNext(); ) {
            Header h = it.next();
            String name = h.getName();
            if (!isHopByHop(name)
                    && !named.contains(name)
                    && !alsoSkip.contains(name.toLowerCase(Locale.ROOT))) {
                to.addHeader(h);
            }
        }
    }
}
