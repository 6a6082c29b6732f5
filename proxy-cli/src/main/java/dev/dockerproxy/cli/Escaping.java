package dev.dockerproxy.cli;

/**
 * Makes untrusted text safe for one-line output: CR, LF, tabs, other control characters,
 * backslashes and non-ASCII characters are escaped, so a request can never forge a log line or move
 * the terminal's cursor.
 */
public final class Escaping {

    private Escaping() {}

    /**
     * Escapes {@code \r}, {@code \n}, {@code \t} and {@code \\} by name, other control and
     * non-ASCII characters as {@code \xNN} or {@code \\uNNNN}; {@code null} becomes {@code -}.
     */
    public static String printable(String s) {
        if (s == null) {
            return "-";
        }
        if (plain(s, false)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r':
                    b.append("\\r");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else if (c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.toString();
    }

    /** Like {@link #printable} and also escapes spaces, for space-separated log fields. */
    public static String field(String s) {
        if (s != null && plain(s, true)) {
            return s;
        }
        return printable(s).replace(" ", "\\x20");
    }

    /** Whether nothing in {@code s} needs escaping (the usual case; then no copy is made). */
    private static boolean plain(String s, boolean noSpaces) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\' || (noSpaces && c == ' ')) {
                return false;
            }
        }
        return true;
    }
}
