package dev.dockerproxy.it.faults;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.WireReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal daemon on a UNIX socket (a {@link FakeUpstream} script) for the bulk and disconnect
 * faults, where the testkit's {@code FakeDockerDaemon} does not fit: it reads request bodies whole
 * (64 MiB at most) and has no hook for "the proxy closed my connection". This one streams: uploads
 * are hashed as they arrive, downloads are generated as they are written, and every connection
 * reports how it ended ({@link #awaitEnd}).
 *
 * <ul>
 *   <li>{@code GET /_ping}: {@code 200 OK}, keep-alive;
 *   <li>{@code POST /images/load}: reads the body (Content-Length or chunked), answers {@code
 *       {"bytes":N,"sha256":"…"}};
 *   <li>{@code GET /images/get?seed=S&size=N}: {@code 200} with {@code Content-Length: N} of {@link
 *       PrngStream} bytes ({@link #downloadWritten()} counts them as written);
 *   <li>{@code POST /exec/{id}/start}: {@code 101 UPGRADED} raw stream, then echoes until stdin
 *       EOF;
 *   <li>{@code GET /events}: a chunked {@code 200} that stays silent until the peer closes;
 *   <li>{@code POST /containers/{id}/wait}: no answer at all (a container that never exits) until
 *       the peer closes.
 * </ul>
 */
final class RawDaemon implements AutoCloseable {

    /** How one connection ended: the route it was serving, how, and the body bytes moved. */
    record End(String kind, String how, long bytes) {}

    private final FakeUpstream upstream;
    private final Set<FakeUpstream.Conn> open = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<End> ends = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final AtomicLong downloadWritten = new AtomicLong();
    private final AtomicInteger waitRequests = new AtomicInteger();

    private RawDaemon() throws IOException {
        // bulk transfers: nothing recorded; bursts of connections: a deep backlog
        this.upstream =
                FakeUpstream.unix(
                        FakeUpstream.Options.DEFAULT.withBacklog(1024).withoutRecording(),
                        this::serve);
    }

    static RawDaemon start() throws IOException {
        return new RawDaemon();
    }

    Path socket() {
        return upstream.socketPath();
    }

    /** How many {@code /containers/{id}/wait} requests arrived. */
    int waitRequests() {
        return waitRequests.get();
    }

    int openConnections() {
        return open.size();
    }

    /** Bytes of the current download written into the socket so far. */
    long downloadWritten() {
        return downloadWritten.get();
    }

    /** The next connection end, waiting up to {@code timeout}; fails when none comes. */
    End awaitEnd(Duration timeout) throws InterruptedException {
        End e = ends.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError(
                    "the daemon saw no connection end within "
                            + timeout
                            + "; "
                            + open.size()
                            + " daemon connection(s) still open");
        }
        return e;
    }

    void clearEnds() {
        ends.clear();
    }

    /**
     * The next upload/download result line ({@code upload bytes sha} / {@code download bytes sha}).
     */
    String awaitResult(Duration timeout) throws InterruptedException {
        String r = results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no transfer result within " + timeout);
        }
        return r;
    }

    private void serve(FakeUpstream.Conn conn) {
        open.add(conn);
        String kind = "idle";
        long[] moved = {0};
        String how = "eof";
        try {
            WireReader reader = conn.reader();
            InputStream in = conn.in();
            OutputStream out = conn.out();
            while (true) {
                kind = "idle";
                moved[0] = 0;
                String head = reader.readHead();
                if (head == null) {
                    break;
                }
                String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
                Map<String, String> headers = WireReader.headers(head);
                String target = requestLine[1].replaceFirst("^/v[0-9.]+/", "/");
                String path =
                        target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
                if (path.equals("/_ping")) {
                    kind = "ping";
                    write(
                            out,
                            "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\n"
                                    + "Content-Length: 2\r\n\r\nOK");
                } else if (path.equals("/images/load")) {
                    kind = "upload";
                    String sha = readBody(reader, in, headers, moved);
                    results.offer("upload " + moved[0] + " " + sha);
                    String body = "{\"bytes\":" + moved[0] + ",\"sha256\":\"" + sha + "\"}";
                    write(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                    + body.length()
                                    + "\r\n\r\n"
                                    + body);
                } else if (path.equals("/images/get")) {
                    kind = "download";
                    download(out, target, moved);
                } else if (path.matches("/exec/[^/]+/start")) {
                    kind = "hijack";
                    readBody(reader, in, headers, new long[1]);
                    write(
                            out,
                            "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                        moved[0] += n;
                    }
                    break;
                } else if (path.matches("/containers/[^/]+/wait")) {
                    kind = "wait"; // a container that never exits: no answer, until the peer closes
                    waitRequests.incrementAndGet();
                    while (in.read() >= 0) {
                        moved[0]++;
                    }
                    break;
                } else if (path.equals("/events")) {
                    kind = "events";
                    write(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n");
                    while (in.read() >= 0) {
                        moved[0]++;
                    }
                    break;
                } else {
                    write(
                            out,
                            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29"
                                    + "\r\n\r\n{\"message\":\"page not found\"}");
                }
            }
        } catch (IOException e) {
            how = "error: " + e.getMessage();
        } finally {
            try {
                conn.close();
            } catch (IOException ignored) {
                // closed already
            }
            open.remove(conn);
            ends.offer(new End(kind, how, moved[0]));
        }
    }

    private void download(OutputStream out, String target, long[] moved) throws IOException {
        Map<String, String> q = new TreeMap<>();
        for (String kv : target.substring(target.indexOf('?') + 1).split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], p.length > 1 ? p[1] : "");
        }
        long size = Long.parseLong(q.get("size"));
        PrngStream data = new PrngStream(Long.parseLong(q.get("seed")), size);
        downloadWritten.set(0);
        write(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: "
                        + size
                        + "\r\n\r\n");
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = data.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
            moved[0] += n;
            downloadWritten.addAndGet(n);
        }
        results.offer("download " + moved[0] + " " + data.sha256Hex());
    }

    /**
     * Reads a request body (Content-Length or chunked) and returns its SHA-256; bytes in {@code
     * moved[0]}.
     */
    private static String readBody(
            WireReader reader, InputStream in, Map<String, String> headers, long[] moved)
            throws IOException {
        MessageDigest sha = PrngStream.sha256();
        byte[] buf = new byte[64 * 1024];
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            while (true) {
                String sizeLine = line(reader);
                long size = Long.parseLong(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(reader).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                copyExactly(in, size, sha, buf, moved);
                line(reader);
            }
        } else {
            long length = Long.parseLong(headers.getOrDefault("content-length", "0").trim());
            copyExactly(in, length, sha, buf, moved);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void copyExactly(
            InputStream in, long length, MessageDigest sha, byte[] buf, long[] moved)
            throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(
                        "connection closed inside the body after " + moved[0] + " bytes");
            }
            sha.update(buf, 0, n);
            moved[0] += n;
            left -= n;
        }
    }

    private static String line(WireReader reader) throws IOException {
        String line = reader.readLine();
        if (line == null) {
            throw new EOFException("connection closed inside a chunk header");
        }
        return line;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        upstream.close();
    }
}
