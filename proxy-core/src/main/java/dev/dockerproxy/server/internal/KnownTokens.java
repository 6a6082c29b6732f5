package dev.dockerproxy.server.internal;

/**
 * The header field names Docker clients and the daemon send on every exchange, as shared string
 * constants: a parsed head takes its names from here when the received bytes spell one of them
 * exactly (same letter case), so the common case allocates no name string. Any other name,
 * including a known one in another letter case, gets its own string, as received.
 */
final class HeaderNames {

    private static final String[] KNOWN = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Content-Type", "Content-Length", "Connection",
        "Transfer-Encoding", "Upgrade", "Expect", "Authorization", "X-Registry-Auth", "X-Registry-Config",
        "Date", "Server", "Api-Version", "Docker-Experimental", "Ostype", "Cache-Control", "Pragma",
        "Content-Encoding", "Last-Modified", "ETag", "Accept-Ranges", "Keep-Alive", "Vary", "Builder-Version",
        "Swarm", "Docker-Content-Digest", "Docker-Distribution-Api-Version", "Location",
    };

    /** KNOWN grouped by length: BY_LENGTH[n] holds the known names of n characters. */
    private static final String[][] BY_LENGTH;

    static {
        int max = 0;
        for (String k : KNOWN) {
            max = Math.max(max, k.length());
        }
        BY_LENGTH = new String[max + 1][];
        for (String k : KNOWN) {
            String[] same = BY_LENGTH[k.length()];
            String[] grown = same == null ? new String[1] : java.util.Arrays.copyOf(same, same.length + 1);
            grown[grown.length - 1] = k;
            BY_LENGTH[k.length()] = grown;
        }
    }

    private HeaderNames() {
    }

    /** The name in {@code chars[from, to)}: a shared constant when it is a known one, else a new string. */
    static String of(char[] chars, int from, int to) {
        String known = lookup(to - from, chars, null, from);
        return known != null ? known : new String(chars, from, to - from);
    }

    /** The name in the ISO-8859-1 bytes {@code bytes[from, to)}, as {@link #of(char[], int, int)}. */
    static String of(byte[] bytes, int from, int to) {
        String known = lookup(to - from, null, bytes, from);
        return known != null ? known : new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code c} may appear in a token (RFC 9110 section 5.6.2): a field name or a method. */
    static boolean isTchar(int c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return true;
        }
        return c < 0x7f && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String lookup(int length, char[] chars, byte[] bytes, int from) {
        if (length >= BY_LENGTH.length || BY_LENGTH[length] == null) {
            return null;
        }
        candidates:
        for (String k : BY_LENGTH[length]) {
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
