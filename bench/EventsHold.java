import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N idle Docker event streams and holds them.
 *
 * <pre>java EventsHold.java HOST PORT N HOLD_SECONDS [PARALLEL]</pre>
 *
 * Each connection sends {@code GET /events HTTP/1.1}, reads the response head (must be 200) and then
 * stays open without reading further. Prints {@code HOLDING opened=N errors=E} once every
 * connection was tried, holds for HOLD_SECONDS (or until stdin closes when HOLD_SECONDS is 0),
 * then checks that every stream is still open and prints {@code DONE open=N closed=C errors=E}.
 * Exit code 0 only when all N streams were opened and stayed open.
 */
public final class EventsHold {

    private static final byte[] REQUEST = ("GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n"
            + "User-Agent: bench-events-hold\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java EventsHold.java HOST PORT N HOLD_SECONDS [PARALLEL]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int hold = Integer.parseInt(args[3]);
        int parallel = args.length > 4 ? Integer.parseInt(args[4]) : 32;

        ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        AtomicInteger opened = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        for (int i = 0; i < n; i++) {
            pool.execute(() -> {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(host, port), 10_000);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write(REQUEST);
                    out.flush();
                    String status = readHead(s.getInputStream());
                    if (!status.startsWith("HTTP/1.1 200")) {
                        throw new IOException("status " + status);
                    }
                    sockets.add(s);
                    opened.incrementAndGet();
                } catch (IOException e) {
                    String key = e.getClass().getSimpleName() + ": " + e.getMessage();
                    errors.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // already failing
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        int errs = errors.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.println("HOLDING opened=" + opened.get() + " errors=" + errs + " ms=" + ms);
        errors.forEach((k, v) -> System.out.println("error x" + v.get() + ": " + k));
        System.out.flush();

        if (hold > 0) {
            Thread.sleep(hold * 1000L);
        } else {
            while (System.in.read() >= 0) {
                // hold until stdin closes
            }
        }

        int open = 0;
        int closed = 0;
        List<Socket> all = new ArrayList<>(sockets);
        for (Socket s : all) {
            if (stillOpen(s)) {
                open++;
            } else {
                closed++;
            }
        }
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        System.out.println("DONE open=" + open + " closed=" + closed + " errors=" + errs);
        System.exit(open == n ? 0 : 1);
    }

    /** Reads up to the blank line ending the head; returns the status line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        String status = null;
        int state = 0; // counts CR LF CR LF
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in response head");
            }
            if (status == null) {
                if (b == '\r' || b == '\n') {
                    status = line.toString();
                } else {
                    line.append((char) b);
                }
            }
            if ((b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))) {
                state++;
            } else {
                state = b == '\r' ? 1 : 0;
            }
            if (line.length() > 8192) {
                throw new IOException("response head too long");
            }
        }
        return status;
    }

    /** An idle stream is open when a short read times out (no EOF, no reset); data also counts as open. */
    private static boolean stillOpen(Socket s) {
        try {
            s.setSoTimeout(1);
            int b = s.getInputStream().read();
            return b >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
