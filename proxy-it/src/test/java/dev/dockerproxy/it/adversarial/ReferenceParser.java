package dev.dockerproxy.it.adversarial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small, strict HTTP/1.1 request parser, independent of the proxy, for corpus cases
 * whose expectation is derived: it splits well-formed bytes into requests (CRLF only, one
 * Content-Length or {@code chunked}). It is not a model of a lenient server; anything unusual
 * throws, and such a case needs an explicit expectation.
 */
final class ReferenceParser {

    record Request(
            String method, String target, String version, List<String[]> headers, byte[] body) {

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        boolean hasBody() {
            return body.length > 0 || "chunked".equalsIgnoreCase(header("Transfer-Encoding"));
        }

        boolean closes() {
            String c = header("Connection");
            boolean close = c != null && c.toLowerCase(Locale.ROOT).contains("close");
            boolean keep = c != null && c.toLowerCase(Locale.ROOT).contains("keep-alive");
            return close || ("HTTP/1.0".equals(version) && !keep);
        }
    }

    static final class Unparseable extends RuntimeException {
        Unparseable(String message) {
            super(message);
        }
    }

    private static final Pattern REQUEST_LINE =
            Pattern.compile("([!-~&&[^ ]]+) (\\S+) (HTTP/1\\.[01])");

    private final byte[] b;
    private int pos;

    private ReferenceParser(byte[] bytes) {
        this.b = bytes;
    }

    /**
     * All requests in {@code bytes}; throws {@link Unparseable} unless the bytes are exactly a
     * request sequence.
     */
    static List<Request> parseAll(byte[] bytes) {
        ReferenceParser p = new ReferenceParser(bytes);
        List<Request> out = new ArrayList<>();
        while (p.pos < bytes.length) {
            out.add(p.next());
        }
        return out;
    }

    /** The first request only. */
    static Request parseFirst(byte[] bytes) {
        return new ReferenceParser(bytes).next();
    }

    private Request next() {
        String line = line();
        Matcher m = REQUEST_LINE.matcher(line);
        if (!m.matches()) {
            throw new Unparseable("not a request line: " + line);
        }
        List<String[]> headers = new ArrayList<>();
        while (true) {
            String h = line();
            if (h.isEmpty()) {
                break;
            }
            int colon = h.indexOf(':');
            if (colon <= 0 || h.charAt(0) == ' ' || h.charAt(0) == '\t') {
                throw new Unparseable("odd header line: " + h);
            }
            headers.add(new String[] {h.substring(0, colon), h.substring(colon + 1).trim()});
        }
        Request head = new Request(m.group(1), m.group(2), m.group(3), headers, new byte[0]);
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        byte[] body;
        if (te != null) {
            if (cl != null || !te.equalsIgnoreCase("chunked")) {
                throw new Unparseable("framing needs an explicit expectation");
            }
            body = chunked();
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            if (pos + n > b.length) {
                throw new Unparseable("body shorter than Content-Length");
            }
            body = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
        } else {
            body = new byte[0];
        }
        return new Request(head.method(), head.target(), head.version(), headers, body);
    }

    private byte[] chunked() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                if (!line().isEmpty()) {
                    throw new Unparseable("trailers need an explicit expectation");
                }
                return out.toByteArray();
            }
            out.write(b, pos, n);
            pos += n;
            if (!line().isEmpty()) {
                throw new Unparseable("chunk not followed by CRLF");
            }
        }
    }

    private String line() {
        for (int i = pos; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                String s = new String(b, pos, i - pos, StandardCharsets.ISO_8859_1);
                pos = i + 2;
                for (char c : s.toCharArray()) {
                    if (c < 0x20 && c != '\t' || c == 0x7f || c == '\n') {
                        throw new Unparseable("control character in a line");
                    }
                }
                return s;
            }
        }
        throw new Unparseable("incomplete line at byte " + pos);
    }

    /** Every substring of the bytes that looks like a request line: what a smuggler could hide. */
    static List<String[]> requestLineCandidates(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<String[]> out = new ArrayList<>();
        Matcher m =
                Pattern.compile("(?<![A-Za-z-])([A-Za-z][A-Za-z-]{0,40}) ([^ \\r\\n]+) HTTP/")
                        .matcher(text);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }
}
