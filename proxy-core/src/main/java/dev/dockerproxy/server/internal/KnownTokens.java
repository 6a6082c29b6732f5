package dev.dockerproxy.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tokens Docker clients and the daemon send on every exchange (header field names, request methods), as
 * shared string constants: a parsed head takes a token from here when the received characters spell one
 * of them exactly (same letter case), so the common case allocates no string. Any other token, including
 * a known one in another letter case, gets its own string, as received.
 */
final class KnownTokens {

    /** Header field names. */
    static final KnownTokens FIELD_NAMES = new KnownTokens(
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Content-Type", "Content-Length", "Connection",
        "Transfer-Encoding", "Upgrade", "Expect", "Authorization", "X-Registry-Auth", "X-Registry-Config",
        "Date", "Server", "Api-Version", "Docker-Experimental", "Ostype", "Cache-Control", "Pragma",
        "Content-Encoding", "Last-Modified", "ETag", "Accept-Ranges", "Keep-Alive", "Vary", "Builder-Version",
        "Swarm", "Docker-Content-Digest", "Docker-Distribution-Api-Version", "Location");

    /** Request methods. */
    static final KnownTokens METHODS = new KnownTokens("GET", "POST", "HEAD", "DELETE", "PUT");

    /** The known tokens grouped by length: byLength[n] holds those of n characters. */
    private final String[][] byLength;

    private KnownTokens(String... known) {
        int max = 0;
        for (String k : known) {
            max = Math.max(max, k.length());
        }
        byLength = new String[max + 1][];
        for (String k : known) {
            String[] same = byLength[k.length()];
            String[] grown = same == null ? new String[1] : Arrays.copyOf(same, same.length + 1);
            grown[grown.length - 1] = k;
            byLength[k.length()] = grown;
        }
    }

    /** The token in {@code chars[from, to)}: a shared constant when it is a known one, else a new string. */
    String of(char[] chars, int from, int to) {
        String known = lookup(to - from, chars, null, from);
        return known != null ? known : new String(chars, from, to - from);
    }

    /** The token in the ISO-8859-1 bytes {@code bytes[from, to)}, as {@link #of(char[], int, int)}. */
    String of(byte[] bytes, int from, int to) {
        String known = lookup(to - from, null, bytes, from);
        return known != null ? known : new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code c} may appear in a token (RFC 9110 section 5.6.2): a field name or a method. */
    static boolean isTchar(int c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return true;
        }
        return c < 0x7f && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private String lookup(int length, char[] chars, byte[] bytes, int from) {
        if (length >= byLength.length || byLength[length] == null) {
            return null;
        }
        candidates:
        for (String k : byLength[length]) {
            for (int i = 0; i < length; i++) {
                int c = chars != null ? chars[from + i] : bytes[from + i] & 0xff;
                if (c != k.charAt(i)) {
                    continue candidates;
                }
            }
            return k;
        }
        return null;
    }
}
