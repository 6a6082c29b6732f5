package dev.dockerproxy.policy;

import java.util.Set;

/**
 * Turns a method and a raw request target into a {@link CanonicalRequest}, or refuses it.
 *
 * <p>The daemon (Go {@code net/http} + gorilla/mux) decodes the path once and routes on the decoded
 * form. This class decodes exactly once as well, then refuses everything whose meaning could differ
 * between the proxy, the daemon or anything in between: encoded {@code /} or {@code \}, dot and
 * empty segments, control characters, NUL, {@code %} surviving decoding (double encoding),
 * characters that would need re-encoding, {@code ;} parameters, absolute- and asterisk-form
 * targets, malformed percent-encoding, malformed {@code /vX.Y} prefixes and methods that are not
 * upper-case tokens. What is left is a path in which every character is literal, so the path
 * decided on is byte-for-byte the path forwarded.
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestCanonicalizer {

    /** Methods with a defined meaning; anything else is answered 405 by the policy, not here. */
    public static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

    static final int MAX_TARGET_LENGTH = 8192;
    static final int MAX_METHOD_LENGTH = 16;
    private static final int MAX_VERSION_PART = 999;

    private RequestCanonicalizer() {}

    /**
     * Canonicalises a request.
     *
     * @throws MalformedRequestException with a client-safe reason when the method or target is
     *     malformed or ambiguous
     */
    public static CanonicalRequest canonicalize(String method, String rawTarget)
            throws MalformedRequestException {
        checkMethod(method);
        if (rawTarget == null || rawTarget.isEmpty()) {
            throw new MalformedRequestException("empty request target");
        }
        if (rawTarget.length() > MAX_TARGET_LENGTH) {
            throw new MalformedRequestException(
                    "request target longer than " + MAX_TARGET_LENGTH + " characters");
        }
        if (rawTarget.charAt(0) != '/') {
            if ("*".equals(rawTarget)) {
                throw new MalformedRequestException(
                        "asterisk-form request target '*' is not used by the Docker API");
            }
            throw new MalformedRequestException(
                    "request target must be a path starting with '/' (absolute-form and authority-form targets are refused)");
        }
        int q = rawTarget.indexOf('?');
        String rawPath = q < 0 ? rawTarget : rawTarget.substring(0, q);
        String query = q < 0 ? null : rawTarget.substring(q + 1);
        checkRawPath(rawPath);
        if (query != null) {
            checkQuery(query);
        }
        String decoded = decodeOnce(rawPath);
        checkDecodedPath(decoded);

        String version = null;
        String path = decoded;
        if (looksVersioned(decoded)) {
            int end = decoded.indexOf('/', 1);
            String prefix = end < 0 ? decoded.substring(2) : decoded.substring(2, end);
            version = checkVersion(prefix);
            path = end < 0 ? "/" : decoded.substring(end);
        }
        return new CanonicalRequest(method, rawTarget, version, path, query);
    }

    private static void checkMethod(String method) throws MalformedRequestException {
        if (method == null || method.isEmpty()) {
            throw new MalformedRequestException("empty request method");
        }
        if (method.length() > MAX_METHOD_LENGTH) {
            throw new MalformedRequestException(
                    "request method longer than " + MAX_METHOD_LENGTH + " characters");
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                throw new MalformedRequestException(
                        "request method must be upper-case letters (got '"
                                + Texts.printable(method)
                                + "'); HTTP methods are case-sensitive");
            }
        }
    }

    /** Raw path characters: RFC 3986 pchar plus '/', with '%' only as a valid escape. */
    private static void checkRawPath(String rawPath) throws MalformedRequestException {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length()
                        || hex(rawPath.charAt(i + 1)) < 0
                        || hex(rawPath.charAt(i + 2)) < 0) {
                    throw new MalformedRequestException(
                            "malformed percent-encoding in path at position " + i);
                }
                i += 2;
            } else if (c == ';') {
                throw new MalformedRequestException(
                        "';' path parameters are refused (ambiguous between servers)");
            } else if (c == '\\') {
                throw new MalformedRequestException("backslash in path is refused");
            } else if (!isLiteralPathChar(c)) {
                throw new MalformedRequestException(
                        "character "
                                + Texts.describeChar(c)
                                + " is not allowed in the path at position "
                                + i);
            }
        }
    }

    private static void checkQuery(String query) throws MalformedRequestException {
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length()
                        || hex(query.charAt(i + 1)) < 0
                        || hex(query.charAt(i + 2)) < 0) {
                    throw new MalformedRequestException(
                            "malformed percent-encoding in query at position " + i);
                }
                i += 2;
            } else if (c == '#') {
                throw new MalformedRequestException("fragment ('#') in request target is refused");
            } else if (!(isLiteralPathChar(c) || c == '/' || c == '?' || c == ';')) {
                throw new MalformedRequestException(
                        "character "
                                + Texts.describeChar(c)
                                + " is not allowed in the query at position "
                                + i);
            }
        }
    }

    private static String decodeOnce(String rawPath) throws MalformedRequestException {
        if (rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        StringBuilder sb = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int v = (hex(rawPath.charAt(i + 1)) << 4) | hex(rawPath.charAt(i + 2));
            if (v == '/') {
                throw new MalformedRequestException("encoded '/' (%2F) in path is refused");
            }
            if (v == '\\') {
                throw new MalformedRequestException("encoded backslash (%5C) in path is refused");
            }
            if (v == '%') {
                throw new MalformedRequestException(
                        "encoded '%' (%25) in path is refused (double encoding)");
            }
            if (v >= 0x80) {
                throw new MalformedRequestException(
                        "non-ASCII byte %"
                                + Integer.toHexString(v).toUpperCase()
                                + " in path is refused");
            }
            if (v < 0x20 || v == 0x7f) {
                throw new MalformedRequestException(
                        "encoded control character %"
                                + String.format("%02X", v)
                                + " in path is refused");
            }
            char d = (char) v;
            if (!isLiteralPathChar(d)) {
                throw new MalformedRequestException(
                        "encoded "
                                + Texts.describeChar(d)
                                + " in path is refused (no Docker object name contains it)");
            }
            sb.append(d);
            i += 2;
        }
        return sb.toString();
    }

    private static void checkDecodedPath(String path) throws MalformedRequestException {
        // path starts with '/', every character is a literal pchar or '/'
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String segment = path.substring(start, end);
            boolean last = end == path.length();
            if (segment.isEmpty() && !(last && start > 1)) {
                if (path.length() == 1) {
                    return; // "/" alone
                }
                throw new MalformedRequestException("empty path segment ('//') is refused");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new MalformedRequestException(
                        "dot segment ('" + segment + "') in path is refused");
            }
            start = end + 1;
        }
    }

    private static boolean looksVersioned(String path) {
        if (path.length() < 3 || path.charAt(1) != 'v') {
            return false;
        }
        int end = path.indexOf('/', 1);
        String seg = end < 0 ? path.substring(2) : path.substring(2, end);
        if (seg.isEmpty()) {
            return false;
        }
        // gorilla/mux: /v{version:[0-9.]+}
        for (int i = 0; i < seg.length(); i++) {
            char c = seg.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static String checkVersion(String v) throws MalformedRequestException {
        int dot = v.indexOf('.');
        if (dot <= 0 || dot != v.lastIndexOf('.') || dot == v.length() - 1) {
            throw new MalformedRequestException(
                    "API version prefix '/v"
                            + v
                            + "' is invalid; use the form /vMAJOR.MINOR, e.g. /v1.41");
        }
        String major = v.substring(0, dot);
        String minor = v.substring(dot + 1);
        if ((major.length() > 1 && major.charAt(0) == '0')
                || (minor.length() > 1 && minor.charAt(0) == '0')) {
            throw new MalformedRequestException(
                    "API version prefix '/v" + v + "' has leading zeros; use e.g. /v1.41");
        }
        if (major.length() > 3
                || minor.length() > 3
                || Integer.parseInt(major) > MAX_VERSION_PART
                || Integer.parseInt(minor) > MAX_VERSION_PART) {
            throw new MalformedRequestException("API version prefix '/v" + v + "' is out of range");
        }
        if (!"1".equals(major)) {
            throw new MalformedRequestException(
                    "API version prefix '/v" + v + "' names an API major version other than 1");
        }
        return v;
    }

    /** RFC 3986 unreserved + sub-delims (minus ';') + ':' '@' and '/'. */
    static boolean isLiteralPathChar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        switch (c) {
            case '-':
            case '.':
            case '_':
            case '~':
            case '!':
            case '$':
            case '&':
            case '\'':
            case '(':
            case ')':
            case '*':
            case '+':
            case ',':
            case '=':
            case ':':
            case '@':
            case '/':
                return true;
            default:
                return false;
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
