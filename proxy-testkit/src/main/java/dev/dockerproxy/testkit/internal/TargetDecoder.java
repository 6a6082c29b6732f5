package dev.dockerproxy.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a request target the way Docker's router sees it: path decoded once, {@code /vX.Y} prefix
 * split off, query decoded like Go's {@code url.ParseQuery}. Problems are reported, never thrown.
 */
public final class TargetDecoder {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9][0-9.]*)(/.*)$");

    /** The parts of a decoded target. */
    public static final class Decoded {
        private final String path;
        private final String apiVersion;
        private final Map<String, List<String>> query;
        private final List<String> problems;

        Decoded(
                String path,
                String apiVersion,
                Map<String, List<String>> query,
                List<String> problems) {
            this.path = path;
            this.apiVersion = apiVersion;
            this.query = query;
            this.problems = problems;
        }

        public String path() {
            return path;
        }

        public String apiVersion() {
            return apiVersion;
        }

        public Map<String, List<String>> query() {
            return query;
        }

        public List<String> problems() {
            return problems;
        }
    }

    private TargetDecoder() {}

    public static Decoded decode(String target) {
        List<String> problems = new ArrayList<>();
        String rest = target;
        if (!rest.startsWith("/")) {
            int scheme = rest.indexOf("://");
            if (scheme > 0) {
                int slash = rest.indexOf('/', scheme + 3);
                rest = slash < 0 ? "/" : rest.substring(slash);
            } else {
                problems.add(
                        "target is neither origin-form nor absolute-form: "
                                + Escapes.printable(target));
            }
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String rawQuery = q < 0 ? "" : rest.substring(q + 1);
        String path = percentDecode(rawPath, false, problems, "path");
        String version = null;
        Matcher m = VERSION_PREFIX.matcher(path);
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key =
                        percentDecode(
                                eq < 0 ? pair : pair.substring(0, eq), true, problems, "query");
                String value =
                        eq < 0
                                ? ""
                                : percentDecode(pair.substring(eq + 1), true, problems, "query");
                query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        query.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Decoded(
                path, version, Collections.unmodifiableMap(frozen), List.copyOf(problems));
    }

    private static String percentDecode(
            String s, boolean plusIsSpace, List<String> problems, String where) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    problems.add(
                            "invalid percent-encoding in "
                                    + where
                                    + " at index "
                                    + i
                                    + ": "
                                    + Escapes.printable(s));
                    return s;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add("percent-decoded " + where + " is not UTF-8: " + Escapes.printable(s));
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }
    }
}
