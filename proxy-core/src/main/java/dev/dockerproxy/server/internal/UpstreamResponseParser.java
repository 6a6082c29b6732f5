package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * Parses the daemon's response heads, in place of HttpCore's default parser, which keeps a buffer,
 * a header object and a name string per header line and re-creates the value string on every read.
 * Here one line buffer per connection is reused and each name and value is one string.
 *
 * <p>What it accepts and does, per RFC 9112 for a proxy reading a response:
 *
 * <ul>
 *   <li>a status line {@code HTTP/d.d SP ddd [SP reason]}; up to {@value #MAX_EMPTY_LINES} empty
 *       lines before it are skipped; anything else is a {@link ProtocolException};
 *   <li>field names must be tokens; whitespace between a name and its colon is removed (a proxy
 *       must remove it before forwarding); value whitespace at either end is trimmed;
 *   <li>a folded line (obs-fold) is joined to the previous value with one space;
 *   <li>CR, LF, NUL and other control characters (except tab) in a value become spaces, so nothing
 *       the daemon sends can split or end a head the proxy writes to its client;
 *   <li>the connection ending inside a head is an error, not a shorter head;
 *   <li>HttpCore's limits: line length (enforced by the session buffer, and here for folded lines)
 *       and header count from the {@link Http1Config}.
 * </ul>
 *
 * One instance per upstream connection; not thread-safe.
 */
final class UpstreamResponseParser implements HttpMessageParser<ClassicHttpResponse> {

    static final int MAX_EMPTY_LINES = 10;

    private final int maxHeaderCount;
    private final int maxLineLength;
    private final CharArrayBuffer line = new CharArrayBuffer(128);

    UpstreamResponseParser(Http1Config config) {
        this.maxHeaderCount = config.getMaxHeaderCount();
        this.maxLineLength = config.getMaxLineLength();
    }

    @Override
    public ClassicHttpResponse parse(
            org.apache.hc.core5.http.io.SessionInputBuffer buffer, InputStream in)
            throws IOException, HttpException {
        int empty = 0;
        while (true) {
            line.clear();
            if (buffer.readLine(line, in) == -1) {
                throw new NoHttpResponseException("The target server failed to respond");
            }
            if (line.length() > 0) {
                break;
            }
            if (++empty > MAX_EMPTY_LINES) {
                throw new MessageConstraintException("Maximum empty line limit exceeded");
            }
        }
        BasicClassicHttpResponse response = statusLine();
        String name = null;
        String value = null;
        int count = 0;
        while (true) {
            line.clear();
            if (buffer.readLine(line, in) == -1) {
                throw new ConnectionClosedException(
                        "the daemon closed the connection in the middle of a response head");
            }
            int len = line.length();
            if (len == 0) {
                break;
            }
            char[] c = line.array();
            if (c[0] == ' ' || c[0] == '\t') {
                if (name == null) {
                    throw new ProtocolException(
                            "the daemon sent a folded header line before any header");
                }
                int start = skipWhitespace(c, 0, len);
                int end = trimEnd(c, start, len);
                if (start < end) {
                    String more = value(c, start, end);
                    if (maxLineLength > 0
                            && name.length() + 2 + value.length() + 1 + more.length()
                                    > maxLineLength) {
                        throw new MessageConstraintException("Maximum line length limit exceeded");
                    }
                    value = value.isEmpty() ? more : value + ' ' + more;
                }
                continue;
            }
            if (name != null) {
                response.addHeader(new BasicHeader(name, value));
            }
            if (maxHeaderCount > 0 && ++count > maxHeaderCount) {
                throw new MessageConstraintException("Maximum header count exceeded");
            }
            int colon = indexOf(c, ':', len);
            int nameEnd = colon < 0 ? -1 : trimEnd(c, 0, colon);
            if (nameEnd <= 0) {
                throw new ProtocolException(
                        "the daemon sent a header line without a field name and colon");
            }
            for (int i = 0; i < nameEnd; i++) {
                if (!StrictRequestParser.isTchar(c[i])) {
                    throw new ProtocolException(
                            "the daemon sent an invalid character in a header field name");
                }
            }
            name = new String(c, 0, nameEnd);
            int start = skipWhitespace(c, colon + 1, len);
            value = value(c, start, trimEnd(c, start, len));
        }
        if (name != null) {
            response.addHeader(new BasicHeader(name, value));
        }
        return response;
    }

    private BasicClassicHttpResponse statusLine() throws ProtocolException {
        char[] c = line.array();
        int len = line.length();
        if (len < 12
                || c[0] != 'H'
                || c[1] != 'T'
                || c[2] != 'T'
                || c[3] != 'P'
                || c[4] != '/'
                || !digit(c[5])
                || c[6] != '.'
                || !digit(c[7])
                || (c[8] != ' ' && c[8] != '\t')) {
            throw invalidStatusLine();
        }
        int at = skipWhitespace(c, 8, len);
        if (at + 3 > len
                || c[at] < '1'
                || c[at] > '9'
                || !digit(c[at + 1])
                || !digit(c[at + 2])
                || (at + 3 < len && c[at + 3] != ' ' && c[at + 3] != '\t')) {
            throw invalidStatusLine();
        }
        int code = (c[at] - '0') * 100 + (c[at + 1] - '0') * 10 + (c[at + 2] - '0');
        int reasonStart = skipWhitespace(c, at + 3, len);
        int reasonEnd = trimEnd(c, reasonStart, len);
        String reason =
                reasonStart < reasonEnd
                        ? value(c, reasonStart, reasonEnd)
                        : ""; // not HttpCore's default
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(code, reason);
        int major = c[5] - '0';
        int minor = c[7] - '0';
        response.setVersion(
                major == 1 && minor == 1 ? HttpVersion.HTTP_1_1 : HttpVersion.get(major, minor));
        return response;
    }

    private ProtocolException invalidStatusLine() {
        String shown = Json.sanitize(line.substring(0, Math.min(line.length(), 80)));
        return new ProtocolException("the daemon sent an invalid status line: " + shown);
    }

    /** {@code c[from, to)} as a string, control characters other than tab replaced by spaces. */
    private static String value(char[] c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isControl(c[i])) {
                char[] clean = java.util.Arrays.copyOfRange(c, from, to);
                for (int j = i - from; j < clean.length; j++) {
                    if (isControl(clean[j])) {
                        clean[j] = ' ';
                    }
                }
                return new String(clean);
            }
        }
        return new String(c, from, to - from);
    }

    private static boolean isControl(char ch) {
        return (ch < 0x20 && ch != '\t') || ch == 0x7f;
    }

    private static int skipWhitespace(char[] c, int from, int to) {
        while (from < to && (c[from] == ' ' || c[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(char[] c, int from, int to) {
        while (to > from && (c[to - 1] == ' ' || c[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static int indexOf(char[] c, char ch, int to) {
        for (int i = 0; i < to; i++) {
            if (c[i] == ch) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digit(char ch) {
        return ch >= '0' && ch <= '9';
    }
}
