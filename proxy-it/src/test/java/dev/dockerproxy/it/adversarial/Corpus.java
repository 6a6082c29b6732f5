package dev.dockerproxy.it.adversarial;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads {@code adversarial/corpus.txt}. A line is either a literal case {@code category TAB id TAB
 * expect TAB raw} or a template {@code @generator TAB category TAB id-prefix TAB expect TAB METHOD
 * SP PATH} that expands into one case per variant (see the generators below); {@code #} starts a
 * comment line.
 */
final class Corpus {

    static final String RESOURCE = "/adversarial/corpus.txt";
    static final Set<String> EXPECTATIONS = Set.of("auto", "first", "none", "safe");

    private Corpus() {}

    static List<CorpusCase> load() {
        List<CorpusCase> cases = new ArrayList<>();
        try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " not on the test class path");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String where = "corpus.txt:" + n;
                if (f[0].startsWith("@")) {
                    if (f.length != 5) {
                        throw new IllegalArgumentException(
                                where + ": a template needs 5 tab-separated fields");
                    }
                    checkExpect(f[3], where);
                    expand(f[0].substring(1), f[1], f[2], f[3], f[4], where, cases);
                } else {
                    if (f.length != 4) {
                        throw new IllegalArgumentException(
                                where + ": a case needs 4 tab-separated fields, got " + f.length);
                    }
                    checkExpect(f[2], where);
                    cases.add(new CorpusCase(f[0], f[1], f[2], Escapes.decode(f[3]), where));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> ids = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<CorpusCase> unique = new ArrayList<>();
        for (CorpusCase c : cases) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException(
                        "duplicate corpus id " + c.id() + " (" + c.source() + ")");
            }
            // generators may produce the same bytes twice (e.g. lower/upper hex of a digit): keep
            // one
            if (seen.add(c.category() + "\u0000" + Escapes.latin1(c.raw()))) {
                unique.add(c);
            }
        }
        return unique;
    }

    private static void checkExpect(String expect, String where) {
        if (!EXPECTATIONS.contains(expect)) {
            throw new IllegalArgumentException(
                    where + ": unknown expectation '" + expect + "', use one of " + EXPECTATIONS);
        }
    }

    /** A plain request for a generated target: POSTs carry a small JSON body. */
    static String request(String method, String target) {
        String head = method + " " + target + " HTTP/1.1\\r\\nHost: docker\\r\\n";
        if (method.equals("POST") || method.equals("PUT")) {
            return head + "Content-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}";
        }
        return head + "\\r\\n";
    }

    private static void expand(
            String generator,
            String category,
            String prefix,
            String expect,
            String arg,
            String where,
            List<CorpusCase> out) {
        int sp = arg.indexOf(' ');
        String method = arg.substring(0, sp);
        String path = arg.substring(sp + 1);
        List<String[]> variants =
                switch (generator) {
                    case "encode-segments" -> encodeSegments(path);
                    case "path-tricks" -> pathTricks(path);
                    case "versions" -> versions(path);
                    case "methods" -> null;
                    default ->
                            throw new IllegalArgumentException(
                                    where + ": unknown generator @" + generator);
                };
        String src = where + " @" + generator;
        if (variants == null) {
            for (String m : methods()) {
                String id = prefix + "-" + (m.length() > 12 ? "long" + m.length() : m);
                out.add(
                        new CorpusCase(
                                category, id, expect, Escapes.decode(request(m, path)), src));
            }
            return;
        }
        for (String[] v : variants) {
            out.add(
                    new CorpusCase(
                            category,
                            prefix + "-" + v[0],
                            expect,
                            Escapes.decode(request(method, v[1])),
                            src));
        }
    }

    private static String pct(char c, boolean lower) {
        String h = String.format("%%%02X", (int) c);
        return lower ? h.toLowerCase(Locale.ROOT) : h;
    }

    /** Segments of a path ("/a/b" gives "a", "b"). */
    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    private static String join(List<String> segs) {
        return "/" + String.join("/", segs);
    }

    private static List<String[]> encodeSegments(String path) {
        List<String> segs = segments(path);
        List<String[]> v = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            String tag = "s" + i;
            v.add(
                    new String[] {
                        tag + "-pct-first",
                        join(replace(segs, i, pct(s.charAt(0), false) + s.substring(1)))
                    });
            v.add(
                    new String[] {
                        tag + "-pct-first-lower",
                        join(replace(segs, i, pct(s.charAt(0), true) + s.substring(1)))
                    });
            StringBuilder all = new StringBuilder();
            for (char c : s.toCharArray()) {
                all.append(pct(c, false));
            }
            v.add(new String[] {tag + "-pct-all", join(replace(segs, i, all.toString()))});
            v.add(
                    new String[] {
                        tag + "-double",
                        join(
                                replace(
                                        segs,
                                        i,
                                        "%25"
                                                + String.format("%02X", (int) s.charAt(0))
                                                + s.substring(1)))
                    });
            v.add(
                    new String[] {
                        tag + "-pct-last",
                        join(
                                replace(
                                        segs,
                                        i,
                                        s.substring(0, s.length() - 1)
                                                + pct(s.charAt(s.length() - 1), false)))
                    });
            if (i > 0) {
                String before = join(segs.subList(0, i));
                String after = join(segs.subList(i, segs.size()));
                v.add(new String[] {tag + "-slash-2F", before + "%2F" + after.substring(1)});
                v.add(new String[] {tag + "-slash-2f", before + "%2f" + after.substring(1)});
                v.add(new String[] {tag + "-slash-252F", before + "%252F" + after.substring(1)});
                v.add(new String[] {tag + "-slash-5C", before + "%5C" + after.substring(1)});
            }
        }
        return v;
    }

    private static List<String> replace(List<String> segs, int i, String value) {
        List<String> copy = new ArrayList<>(segs);
        copy.set(i, value);
        return copy;
    }

    private static List<String[]> pathTricks(String path) {
        List<String> segs = segments(path);
        List<String[]> v = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            String tag = "s" + i;
            List<String> before = segs.subList(0, i);
            List<String> after = segs.subList(i, segs.size());
            v.add(
                    new String[] {
                        tag + "-dot", (before.isEmpty() ? "" : join(before)) + "/." + join(after)
                    });
            v.add(
                    new String[] {
                        tag + "-dotdot",
                        (before.isEmpty() ? "" : join(before)) + "/x/.." + join(after)
                    });
            v.add(
                    new String[] {
                        tag + "-pct-dotdot",
                        (before.isEmpty() ? "" : join(before)) + "/x/%2e%2e" + join(after)
                    });
            v.add(
                    new String[] {
                        tag + "-empty", (before.isEmpty() ? "" : join(before)) + "/" + join(after)
                    });
            v.add(new String[] {tag + "-param", join(replace(segs, i, s + ";x=1"))});
            v.add(
                    new String[] {
                        tag + "-upper", join(replace(segs, i, s.toUpperCase(Locale.ROOT)))
                    });
            if (i > 0) {
                v.add(
                        new String[] {
                            tag + "-backslash", join(before) + "\\\\" + join(after).substring(1)
                        });
            }
        }
        v.add(new String[] {"trailing-slash", path + "/"});
        v.add(new String[] {"trailing-dot", path + "/."});
        v.add(new String[] {"trailing-dotdot-back", path + "/.."});
        v.add(new String[] {"pct-3F", path + "%3F"});
        v.add(new String[] {"pct-3F-query", path + "%3Fx=/json"});
        v.add(new String[] {"pct-23", path + "%23"});
        v.add(new String[] {"pct-23-frag", path + "%23/json"});
        v.add(new String[] {"fragment", path + "#x"});
        v.add(new String[] {"query-empty", path + "?"});
        v.add(new String[] {"query-slash", path + "?/../../containers/json"});
        v.add(new String[] {"query-hash", path + "?a=1#/json"});
        v.add(new String[] {"tilde", path + "~"});
        v.add(new String[] {"pct-00", path + "%00"});
        v.add(new String[] {"pct-0a", path + "%0a"});
        v.add(new String[] {"pct-20", path + "%20"});
        v.add(new String[] {"pct-ff", path + "%FF"});
        v.add(new String[] {"pct-bad", path + "%zz"});
        v.add(new String[] {"pct-trunc", path + "%4"});
        v.add(
                new String[] {
                    "overlong-utf8-slash",
                    path.substring(0, path.lastIndexOf('/'))
                            + "%C0%AF"
                            + path.substring(path.lastIndexOf('/') + 1)
                });
        return v;
    }

    private static List<String[]> versions(String path) {
        String[][] prefixes = {
            {"none", ""},
            {"v1", "/v1"},
            {"v1.", "/v1."},
            {"v.41", "/v.41"},
            {"v01.41", "/v01.41"},
            {"v1.041", "/v1.041"},
            {"v1.41", "/v1.41"},
            {"v1.24", "/v1.24"},
            {"v1.12", "/v1.12"},
            {"v1.11", "/v1.11"},
            {"v1.99", "/v1.99"},
            {"v2.0", "/v2.0"},
            {"v0.1", "/v0.1"},
            {"double", "/v1.41/v1.41"},
            {"double-mixed", "/v1.24/v1.41"},
            {"v1..41", "/v1..41"},
            {"v1.4.1", "/v1.4.1"},
            {"huge-minor", "/v1.99999999999999999999"},
            {"huge-major", "/v99999999999999999999.1"},
            {"V1.41", "/V1.41"},
            {"v1,41", "/v1,41"},
            {"v1.41-pct", "/%761.41"},
            {"v1.41-pct-dot", "/v1%2E41"},
            {"v-empty", "/v"},
            {"v1.41x", "/v1.41x"},
            {"vv1.41", "/vv1.41"},
            {"v1.41-plus", "/v+1.41"},
            {"v1.1000", "/v1.1000"},
        };
        List<String[]> v = new ArrayList<>();
        for (String[] p : prefixes) {
            v.add(new String[] {p[0], p[1] + path});
        }
        return v;
    }

    static Set<String> methods() {
        Set<String> m =
                new LinkedHashSet<>(
                        List.of(
                                "GET",
                                "HEAD",
                                "POST",
                                "PUT",
                                "DELETE",
                                "PATCH",
                                "OPTIONS",
                                "TRACE",
                                "CONNECT",
                                "get",
                                "Get",
                                "post",
                                "PROPFIND",
                                "M-SEARCH",
                                "BREW",
                                "G\\x00ET",
                                "GET\\tX",
                                "PURGE"));
        m.add("G" + "E".repeat(40) + "T");
        m.add("POST" + "X".repeat(300));
        return m;
    }
}
