package dev.dockerproxy.cli.verify;

import dev.dockerproxy.server.UpstreamAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A deliberately small HTTP/1.1 client for verification probes: one connection per request ({@code
 * Connection: close}), over TCP or a UNIX socket, every read bounded by a timeout and the body read
 * only up to a cap (a stream such as {@code /events} is never read to its end).
 */
public final class ProbeHttp {

    /** Most body bytes kept per response; enough for an error message or a container list. */
    public static final int DEFAULT_BODY_CAP = 4 * 1024 * 1024;

    private final UpstreamAddress target;
    private final Duration timeout;

    /**
     * An answer, as far as it was read.
     *
     * @param status the HTTP status
     * @param headers response headers, names lower-cased (the last value wins)
     * @param body the body (possibly truncated to the cap; empty when not read)
     */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public ProbeHttp(UpstreamAddress target, Duration timeout) {
        this.target = Objects.requireNonNull(target, "target");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public UpstreamAddress target() {
        return target;
    }

    /**
     * Sends one request and reads the answer.
     *
     * @param readBody whether to read the body (false for streams: only the head is read)
     * @throws IOException when the target cannot be reached or does not answer in time
     */
    public Response send(
            String method, String target, String contentType, byte[] body, boolean readBody)
            throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket s = open(millis)) {
            s.setSoTimeout(millis);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(this.target.hostHeader()).append("\r\n");
            head.append("User-Agent: docker-socket-proxy-verify\r\n");
            head.append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ")
                        .append(contentType == null ? "application/json" : contentType)
                        .append("\r\n");
                head.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String statusLine = readLine(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/")) {
                throw new IOException(
                        "not an HTTP answer: "
                                + (statusLine == null ? "connection closed" : statusLine));
            }
            String[] parts = statusLine.split(" ", 3);
            int status;
            try {
                status = Integer.parseInt(parts[1].trim());
            } catch (RuntimeException e) {
                throw new IOException("bad status line: " + statusLine, e);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            byte[] content = new byte[0];
            if (readBody
                    && !"HEAD".equals(method)
                    && status != 204
                    && status != 304
                    && status >= 200) {
                content = readBody(in, headers);
            }
            return new Response(status, Map.copyOf(headers), content);
        }
    }

    private Socket open(int millis) throws IOException {
        if (target.isUnix()) {
            return AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(target.path()));
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(target.host(), target.port()), millis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (out.size() < DEFAULT_BODY_CAP) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    break;
                }
                int semi = sizeLine.indexOf(';');
                int size =
                        Integer.parseInt(
                                (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    break;
                }
                copy(in, out, size);
                readLine(in);
            }
        } else if (cl != null) {
            copy(in, out, (int) Math.min(DEFAULT_BODY_CAP, Long.parseLong(cl.trim())));
        } else {
            copy(in, out, DEFAULT_BODY_CAP);
        }
        return out.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
        byte[] buf = new byte[8192];
        int left = n;
        while (left > 0) {
            int r = in.read(buf, 0, Math.min(buf.length, left));
            if (r < 0) {
                return;
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 65536) {
                throw new IOException("header line too long");
            }
            sb.append((char) b);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
