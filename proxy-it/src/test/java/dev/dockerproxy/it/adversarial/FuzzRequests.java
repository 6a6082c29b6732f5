package dev.dockerproxy.it.adversarial;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for hostile request bytes: heads built from parts, mutated targets, and plain
 * noise.
 */
final class FuzzRequests {

    static final String WELL_BEHAVED_AGENT = "adversarial-well-behaved-client";

    static final List<String> PATHS =
            List.of(
                    "/_ping",
                    "/version",
                    "/info",
                    "/events",
                    "/containers/json",
                    "/containers/adv/json",
                    "/containers/adv/exec",
                    "/containers/adv/export",
                    "/containers/adv/archive",
                    "/containers/adv/logs",
                    "/containers/adv/attach",
                    "/containers/adv/attach/ws",
                    "/containers/create",
                    "/containers/adv/start",
                    "/containers/adv",
                    "/exec/e1/start",
                    "/exec/e1/json",
                    "/images/adv/get",
                    "/images/get",
                    "/images/json",
                    "/swarm/unlockkey",
                    "/configs",
                    "/secrets",
                    "/debug/vars",
                    "/debug/pprof/",
                    "/networks",
                    "/networks/n1",
                    "/services",
                    "/tasks",
                    "/volumes",
                    "/session",
                    "/grpc",
                    "/system/df",
                    "/build",
                    "/plugins",
                    "/");
    static final List<String> VERSIONS =
            List.of(
                    "",
                    "",
                    "/v1.41",
                    "/v1.41",
                    "/v1.24",
                    "/v1",
                    "/v01.41",
                    "/v1.41/v1.41",
                    "/v99999999999999999999.1",
                    "/V1.41",
                    "/v1.4.1",
                    "/v1.");
    static final List<String> METHODS =
            List.of(
                    "GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "OPTIONS",
                    "PATCH", "TRACE", "CONNECT", "get", "Post", "BREW", "");
    static final String HOSTILE_CHARS = "%#?;\\/.:@ \t\r\n\u0000\u007f\u00ff\"<>{}|^`[]&=+$,~'!*()";
    static final List<String> SMUGGLED =
            List.of(
                    "POST /v1.41/containers/adv/exec HTTP/1.1\r\nHost: d\r\nContent-Length: 2\r\n\r\n{}",
                    "GET /v1.41/containers/adv/export HTTP/1.1\r\nHost: d\r\n\r\n",
                    "POST /exec/e1/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 2\r\n\r\n{}",
                    "GET /v1.41/containers/json HTTP/1.1\r\nHost: d\r\n\r\n",
                    "GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n",
                    "DELETE /v1.41/containers/adv?force=1 HTTP/1.1\r\nHost: d\r\n\r\n");

    /** One fuzz case: the bytes and whether the client half-closes after writing them. */
    record FuzzCase(byte[] raw, boolean halfClose) {
        @Override
        public String toString() {
            return (halfClose ? "" : "[no half-close] ") + Escapes.show(raw, 2000);
        }
    }

    private FuzzRequests() {}

    static Arbitrary<FuzzCase> cases() {
        Arbitrary<byte[]> raw =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(85, structured()),
                        net.jqwik.api.Tuple.of(10, noise()),
                        net.jqwik.api.Tuple.of(5, smuggledPipeline()));
        // almost every case half-closes; a few leave the connection open and rely on the proxy's
        // timeouts
        Arbitrary<Boolean> halfClose =
                Arbitraries.integers().between(0, 999).map(i -> i != 0).withoutEdgeCases();
        return Combinators.combine(raw, halfClose).as(FuzzCase::new);
    }

    static Arbitrary<byte[]> noise() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    static Arbitrary<byte[]> smuggledPipeline() {
        return Arbitraries.of(SMUGGLED)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
    }

    static Arbitrary<String> target() {
        Arbitrary<String> base =
                Combinators.combine(
                                Arbitraries.of(VERSIONS),
                                Arbitraries.of(PATHS),
                                Arbitraries.of(
                                        "", "", "", "?all=1", "?x=/../exec", "?", "#f", "?a=%2F"))
                        .as((v, p, q) -> v + p + q);
        Arbitrary<Mutation> mutation =
                Combinators.combine(
                                Arbitraries.integers().between(0, 9),
                                Arbitraries.integers().between(0, 200),
                                Arbitraries.of(HOSTILE_CHARS.toCharArray()))
                        .as(Mutation::new);
        Arbitrary<String> structured =
                Combinators.combine(base, mutation.list().ofMaxSize(3))
                        .as(
                                (b, ms) -> {
                                    String t = b;
                                    for (Mutation m : ms) {
                                        t = m.apply(t);
                                    }
                                    return t;
                                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(90, structured),
                net.jqwik.api.Tuple.of(
                        5,
                        Arbitraries.of(
                                "*",
                                "http://docker/v1.41/containers/json",
                                "http://docker/containers/adv/exec",
                                "docker:2375",
                                "//containers/json",
                                "")),
                net.jqwik.api.Tuple.of(
                        5,
                        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(40)));
    }

    /**
     * A targeted edit of a target: encode, double-encode, insert dot/empty segments, change case,
     * inject a char.
     */
    record Mutation(int kind, int pos, char ch) {
        String apply(String t) {
            if (t.isEmpty()) {
                return String.valueOf(ch);
            }
            int p = pos % t.length();
            char at = t.charAt(p);
            return switch (kind) {
                case 0 ->
                        t.substring(0, p) + String.format("%%%02X", (int) at) + t.substring(p + 1);
                case 1 ->
                        t.substring(0, p) + String.format("%%%02x", (int) at) + t.substring(p + 1);
                case 2 ->
                        t.substring(0, p)
                                + String.format("%%25%02X", (int) at)
                                + t.substring(p + 1);
                case 3 -> t.substring(0, p) + "/." + t.substring(p);
                case 4 -> t.substring(0, p) + "/x/.." + t.substring(p);
                case 5 -> t.substring(0, p) + "/" + t.substring(p);
                case 6 -> t.toUpperCase(Locale.ROOT);
                case 7 -> t.replaceFirst("/", at == '/' ? "%2F" : "\\\\");
                case 8 -> t.substring(0, p) + ";x=" + ch + t.substring(p);
                default -> t.substring(0, p) + ch + t.substring(p);
            };
        }
    }

    static Arbitrary<String> header() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "Content-Length: 0",
                        "Content-Length: 5",
                        "Content-Length: 2",
                        "Content-Length: 1",
                        "Content-Length: -1",
                        "Content-Length: 5, 5",
                        "Content-Length: 0x5",
                        "Content-Length: +5",
                        "Content-Length: 99999999999999999999",
                        "Content-Length: ",
                        "Content-Length: 64"),
                Arbitraries.of(
                        "Transfer-Encoding: chunked",
                        "Transfer-Encoding: Chunked",
                        "Transfer-Encoding: gzip, chunked",
                        "Transfer-Encoding: chunked, identity",
                        "Transfer-Encoding:  chunked",
                        "Transfer-Encoding: xchunked",
                        "Transfer-Encoding : chunked",
                        "Transfer-Encoding:\u000bchunked"),
                Arbitraries.of(
                        "Connection: close",
                        "Connection: keep-alive",
                        "Connection: Upgrade",
                        "Connection: Upgrade, HTTP2-Settings",
                        "Upgrade: tcp",
                        "Upgrade: h2c",
                        "Upgrade: websocket",
                        "Expect: 100-continue",
                        "Host: docker",
                        "Host:",
                        "Content-Type: application/json",
                        " folded",
                        "\tfolded",
                        "X-Empty:",
                        ": no-name",
                        "NoColon"),
                Combinators.combine(
                                Arbitraries.strings()
                                        .withCharRange('!', '~')
                                        .ofMinLength(1)
                                        .ofMaxLength(12),
                                Arbitraries.strings()
                                        .withChars(
                                                ("abc 012\t\r\n\u0000\u007f\u00ff:").toCharArray())
                                        .ofMaxLength(16))
                        .as((n, v) -> n + ": " + v));
    }

    static Arbitrary<byte[]> structured() {
        Arbitrary<String> eol =
                Arbitraries.frequency(
                        net.jqwik.api.Tuple.of(92, "\r\n"),
                        net.jqwik.api.Tuple.of(4, "\n"),
                        net.jqwik.api.Tuple.of(4, "\r"));
        Arbitrary<String> version =
                Arbitraries.frequency(
                        net.jqwik.api.Tuple.of(90, "HTTP/1.1"),
                        net.jqwik.api.Tuple.of(5, "HTTP/1.0"),
                        net.jqwik.api.Tuple.of(5, "HTTP/2.0"));
        Arbitrary<String> body =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(60, Arbitraries.just("")),
                        net.jqwik.api.Tuple.of(
                                10,
                                Arbitraries.of(
                                        "hello",
                                        "{}",
                                        "5\r\nhello\r\n0\r\n\r\n",
                                        "0\r\n\r\n",
                                        "ffffffffffffffffff\r\nx\r\n",
                                        "5;ext=1\r\nhello\r\n0\r\n\r\n",
                                        "-1\r\n\r\n")),
                        net.jqwik.api.Tuple.of(15, Arbitraries.of(SMUGGLED)),
                        net.jqwik.api.Tuple.of(
                                15,
                                Arbitraries.strings()
                                        .withCharRange('\u0000', '\u00ff')
                                        .ofMaxLength(64)));
        Arbitrary<String> method =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(95, Arbitraries.of(METHODS)),
                        net.jqwik.api.Tuple.of(
                                5,
                                Arbitraries.strings()
                                        .withCharRange('!', '~')
                                        .ofMinLength(1)
                                        .ofMaxLength(24)));
        return Combinators.combine(
                        method, target(), version, header().list().ofMaxSize(6), eol, body)
                .as(
                        (m, t, v, hs, nl, b) -> {
                            StringBuilder sb = new StringBuilder();
                            sb.append(m).append(' ').append(t).append(' ').append(v).append(nl);
                            for (String h : hs) {
                                sb.append(h).append(nl);
                            }
                            sb.append(nl).append(b);
                            return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                        });
    }
}
