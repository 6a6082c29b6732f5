package dev.dockerproxy.policy;

/**
 * Helpers that make untrusted text safe to show in messages and logs (internal to the proxy; not a
 * stable API).
 */
public final class Texts {
    private static final int MAX_SHOWN = 120;

    private Texts() {}

    /**
     * Escapes CR, LF, tabs, control and non-ASCII characters as {@code \\xNN} / {@code \\uNNNN};
     * truncates.
     */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() <= MAX_SHOWN && plain(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (sb.length() >= MAX_SHOWN) {
                sb.append("...");
                break;
            }
            char c = s.charAt(i);
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02X", (int) c));
            } else if (c > 0x7e) {
                sb.append(String.format("\\u%04X", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether {@link #printable} would return {@code s} unchanged (then no copy is made). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    static String describeChar(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("control character 0x%02X", (int) c);
        }
        if (c > 0x7e) {
            return String.format("non-ASCII character U+%04X", (int) c);
        }
        if (c == ' ') {
            return "space";
        }
        return "'" + c + "'";
    }
}
