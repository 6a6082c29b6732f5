package dev.dockerproxy.it.adversarial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The corpus' byte notation: {@code \r \n \t \0 \\ \xHH}, and {@code {{rep N TEXT}}} for N copies
 * of TEXT (expanded before escapes, so TEXT may use them). Everything else is literal ISO-8859-1.
 */
final class Escapes {

    private Escapes() {}

    static byte[] decode(String text) {
        String expanded = expandRepeats(text);
        ByteArrayOutputStream out = new ByteArrayOutputStream(expanded.length());
        for (int i = 0; i < expanded.length(); i++) {
            char c = expanded.charAt(i);
            if (c != '\\') {
                if (c > 0xff) {
                    throw new IllegalArgumentException(
                            "non-Latin-1 character in corpus bytes: " + c);
                }
                out.write(c);
                continue;
            }
            if (i + 1 >= expanded.length()) {
                throw new IllegalArgumentException("dangling backslash in: " + text);
            }
            char e = expanded.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(expanded.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown escape \\" + e + " in: " + text);
            }
        }
        return out.toByteArray();
    }

    private static String expandRepeats(String text) {
        StringBuilder sb = new StringBuilder();
        int from = 0;
        while (true) {
            int start = text.indexOf("{{rep ", from);
            if (start < 0) {
                sb.append(text, from, text.length());
                return sb.toString();
            }
            int end = text.indexOf("}}", start);
            sb.append(text, from, start);
            String body = text.substring(start + 6, end);
            int sp = body.indexOf(' ');
            sb.append(body.substring(sp + 1).repeat(Integer.parseInt(body.substring(0, sp))));
            from = end + 2;
        }
    }

    /** Printable form of bytes for messages: escapes as in the corpus, long runs shortened. */
    static String show(byte[] bytes, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length && sb.length() < max; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (b < 0x20 || b >= 0x7f) {
                        sb.append(String.format("\\x%02X", b));
                    } else {
                        sb.append((char) b);
                    }
                }
            }
        }
        if (sb.length() >= max) {
            sb.append("...(").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
