package dev.dockerproxy.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes whole lines to a {@link PrintWriter} from one background thread, in batches: a line is
 * queued by the connection thread that produced it and written, with whatever else is queued by
 * then, in one flush. Under load that turns one {@code write(2)} and one contended lock per request
 * into one per batch (the writer pauses a millisecond between batches so lines can gather); when
 * the proxy is quiet a line is written as soon as the writer thread runs.
 *
 * <p>Nothing is dropped: when {@value #CAPACITY} lines are waiting (standard output is slower than
 * the traffic), {@link #add} blocks until the writer catches up. {@link #close()} writes every
 * queued line and flushes; lines added after it are written directly.
 */
final class LineWriter implements AutoCloseable {

    static final int CAPACITY = 16_384;
    private static final int BATCH = 4_096;

    /**
     * After writing a batch, the writer waits this long before taking the next one, so that under
     * load lines gather into batches instead of each line waking the writer; an idle writer waits
     * without any timer for the next line.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Queued by {@link #close()}: the writer stops when it reaches it (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String STOP = new String("stop");

    private final PrintWriter out;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread writer;
    private volatile boolean closed;

    LineWriter(PrintWriter out, String threadName) {
        this.out = out;
        this.writer = new Thread(this::run, threadName);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues one line (without its line separator). Blocks while the queue is full. */
    void add(String line) {
        if (!closed) {
            try {
                lines.put(line);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // written directly below: a line is never lost
            }
        }
        writeAll(List.of(line));
    }

    private void run() {
        List<String> batch = new ArrayList<>(256);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(lines.take());
            } catch (InterruptedException e) {
                return; // close() writes what is left
            }
            lines.drainTo(batch, BATCH);
            stop = writeAll(batch);
            batch.clear();
            if (!stop) {
                LockSupport.parkNanos(LINGER_NANOS);
            }
        }
    }

    /**
     * Writes the lines, except the {@link #STOP} marker, and flushes once, under the writer's lock;
     * returns whether the marker was among them. Not {@code println}: on an auto-flushing writer
     * (picocli's standard output) it would flush, one {@code write(2)}, per line.
     */
    private boolean writeAll(List<String> batch) {
        boolean stop = false;
        synchronized (out) {
            for (String line : batch) {
                if (line == STOP) {
                    stop = true;
                } else {
                    out.write(line);
                    out.write(System.lineSeparator());
                }
            }
            out.flush();
        }
        return stop;
    }

    /** Writes every queued line, flushes, and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        try {
            if (writer.isAlive() && lines.offer(STOP, 5, TimeUnit.SECONDS)) {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        writer.interrupt();
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest); // lines queued by add() calls racing with close()
        writeAll(rest);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
