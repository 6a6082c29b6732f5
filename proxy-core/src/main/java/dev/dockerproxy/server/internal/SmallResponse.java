package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.FormattedHeader;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.ProtocolVersion;

import org.apache.hc.core5.util.CharArrayBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * A response with a small body of known length ({@code /_ping}, {@code /version}, a short JSON answer),
 * relayed with one write: head and body are assembled in the connection's copy buffer and sent together.
 * Sent the usual way (HttpCore writes the head, the body follows), such a response costs the proxy two
 * {@code write(2)} calls and the client two wake-ups.
 *
 * <p>The head is formatted as HttpCore's message writer formats it: status line, then each header line as
 * received when HttpCore parsed it ({@link FormattedHeader}), otherwise {@code name: value} with CR, LF,
 * form feed and vertical tab in the value replaced by spaces.
 */
final class SmallResponse {

    private SmallResponse() {
    }

    /**
     * Writes the head of {@code response} into {@code buf} from offset 0.
     *
     * @return its length in bytes, or -1 when it does not fit in {@code limit} bytes
     */
    static int formatHead(HttpResponse response, byte[] buf, int limit) {
        Pos p = new Pos(buf, limit);
        ProtocolVersion v = response.getVersion() != null ? response.getVersion() : HttpVersion.HTTP_1_1;
        p.ascii(v.getProtocol()).put('/').ascii(Integer.toString(v.getMajor())).put('.')
                .ascii(Integer.toString(v.getMinor())).put(' ').ascii(Integer.toString(response.getCode()))
                .put(' ');
        if (response.getReasonPhrase() != null) {
            p.text(response.getReasonPhrase());
        }
        p.crlf();
        for (Iterator<Header> it = response.headerIterator(); it.hasNext(); ) {
            Header h = it.next();
            if (h instanceof FormattedHeader f) {
                CharArrayBuffer raw = f.getBuffer();      // a line as received: HttpCore writes it as it is
                for (int i = 0; i < raw.length(); i++) {
                    p.put(raw.charAt(i));
                }
                p.crlf();
                continue;
            }
            p.text(h.getName()).put(':').put(' ');
            if (h.getValue() != null) {
                p.text(h.getValue());
            }
            p.crlf();
        }
        p.crlf();
        return p.overflow ? -1 : p.at;
    }

    /**
     * Reads exactly {@code len} bytes into {@code buf} at {@code off} ({@link InputStream#readNBytes}).
     *
     * @return {@code len}, or fewer when the stream ended first
     * @throws StreamCopy.SourceException when reading failed
     */
    static int readFully(InputStream in, byte[] buf, int off, int len) throws StreamCopy.SourceException {
        try {
            return in.readNBytes(buf, off, len);
        } catch (IOException e) {
            throw new StreamCopy.SourceException(e);
        }
    }

    /** A write position in a bounded buffer; writes past the limit only set {@link #overflow}. */
    private static final class Pos {
        private final byte[] buf;
        private final int limit;
        private int at;
        private boolean overflow;

        Pos(byte[] buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        Pos put(char c) {
            if (at < limit) {
                buf[at++] = (byte) c;
            } else {
                overflow = true;
            }
            return this;
        }

        Pos ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put(s.charAt(i));
            }
            return this;
        }

        /** Like HttpCore: each char as one byte (ISO-8859-1), line breaking characters as spaces. */
        Pos text(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                put(c == '\r' || c == '\n' || c == '\f' || c == 0x0b ? ' ' : c);
            }
            return this;
        }

        Pos crlf() {
            return put('\r').put('\n');
        }
    }
}
