package dev.dockerproxy.testkit.internal;

/** Makes untrusted text safe to print on one line. */
public final class Escapes {
    private Escapes() {}

    /**
     * {@code s} with control characters as {@code \xNN} (so CR/LF cannot forge log lines), cut at
     * 200 chars.
     */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= 200) {
            out.append("...");
        }
        return out.toString();
    }
}
