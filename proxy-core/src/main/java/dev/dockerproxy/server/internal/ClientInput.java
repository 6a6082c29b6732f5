package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client socket's input stream as HttpCore sees it, with two additions:
 *
 * <ul>
 *   <li>a read deadline for the request head (a total budget, so a client trickling one byte at a
 *       time cannot hold a connection open: the per-read socket timeout is set to what is left);
 *   <li>a watcher: while a response streams to the client, one background read notices a client
 *       that hangs up, so the upstream stream is released at once. Bytes that read obtains (a
 *       pipelined request) are kept and handed to the next regular read; nothing is lost.
 * </ul>
 *
 * <p>Regular reads happen on the connection thread only; the watcher is the only other reader and
 * regular reads wait for its read to finish. Uses a {@link ReentrantLock}, not monitors, so waiting
 * does not pin a virtual thread's carrier.
 *
 * <p>Reads block without a socket timeout (one system call each, see {@link ReadDeadlines}); a read
 * that outlives its deadline is ended by the proxy's {@link ReadDeadlines} sweeper, which shuts the
 * socket's input down, and throws {@link SocketTimeoutException}. After that the socket can only be
 * written (a {@code 408} answer) and closed.
 */
public final class ClientInput extends InputStream implements ReadDeadlines.Timed {

    private static final int WATCH_BUFFER = 64;

    private final Socket socket;
    private final InputStream in;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readDone = lock.newCondition();

    private boolean readInFlight;
    private byte[] pending;
    private int pendingPos;
    private int pendingLen;
    private boolean eof;
    private IOException failure;

    private final ReadDeadlines deadlines;
    private volatile long deadlineNanos;
    private volatile int readTimeoutMillis;
    private volatile long expiresAt;
    private volatile boolean timedOut;
    private boolean registered;
    private volatile long bytesRead;

    /**
     * @param deadlines the proxy's sweeper, which ends reads that outlive their timeout or deadline
     */
    public ClientInput(Socket socket, ReadDeadlines deadlines) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlines = deadlines;
    }

    /** Reads without a total deadline; each read may block up to {@code millis} (0 = forever). */
    public void setReadTimeout(int millis) {
        this.readTimeoutMillis = millis;
        this.deadlineNanos = 0;
    }

    /**
     * All further reads must complete before {@code System.nanoTime()} reaches {@code deadline}.
     */
    public void setDeadline(long deadline) {
        this.deadlineNanos = deadline == 0 ? 1 : deadline;
    }

    /** Bytes read from the socket so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Starts one background read, unless one is running or bytes are already pending. When that
     * read sees end of stream or an error, {@code onHangUp} runs (on the watcher thread).
     */
    /** Whether a read (the watch's or the parser's) saw the client hang up or fail. */
    public boolean hungUp() {
        lock.lock();
        try {
            return eof || failure != null;
        } finally {
            lock.unlock();
        }
    }

    public void watch(Executor executor, Runnable onHangUp) {
        lock.lock();
        try {
            if (readInFlight || pendingPos < pendingLen || eof || failure != null) {
                return;
            }
            readInFlight = true;
        } finally {
            lock.unlock();
        }
        try {
            executor.execute(() -> watchOnce(onHangUp));
        } catch (RejectedExecutionException e) {
            lock.lock();
            try {
                readInFlight = false;
                readDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void watchOnce(Runnable onHangUp) {
        byte[] buf = new byte[WATCH_BUFFER];
        int n;
        IOException error = null;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (IOException e) {
            error = e;
            n = -1;
        }
        lock.lock();
        try {
            readInFlight = false;
            if (n > 0) {
                pending = buf;
                pendingPos = 0;
                pendingLen = n;
                bytesRead += n;
            } else if (error != null) {
                failure = error;
            } else {
                eof = true;
            }
            readDone.signalAll();
        } finally {
            lock.unlock();
        }
        if (n <= 0) {
            onHangUp.run();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            if (readInFlight) {
                long budget = remainingNanos();
                long waitUntil = System.nanoTime() + budget;
                while (readInFlight) {
                    if (budget == Long.MAX_VALUE) {
                        readDone.await();
                        continue;
                    }
                    long left = waitUntil - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("read timed out");
                    }
                    readDone.awaitNanos(left);
                }
            }
            if (pendingPos < pendingLen) {
                int n = Math.min(len, pendingLen - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                pendingPos += n;
                if (pendingPos == pendingLen) {
                    pending = null;
                }
                return n;
            }
            if (eof) {
                return -1;
            }
            if (failure != null) {
                throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading from the client");
        } finally {
            lock.unlock();
        }
        if (timedOut) {
            throw new SocketTimeoutException("read timed out earlier; the input is shut down");
        }
        long expires = 0;
        boolean timed = true;
        long deadline = deadlineNanos;
        int timeout = readTimeoutMillis;
        if (deadline != 0) {
            if (deadline - System.nanoTime() <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            expires = deadline;
        } else if (timeout != 0) {
            expires = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        } else {
            timed = false;
        }
        int n;
        if (!timed) {
            n = in.read(b, off, len);
        } else {
            expiresAt = expires == 0 ? 1 : expires;
            if (!registered) {
                registered = true;
                deadlines.register(this);
            }
            deadlines.deadlineSet(expires);
            try {
                n = in.read(b, off, len);
            } finally {
                expiresAt = 0;
            }
        }
        if (timedOut) {
            throw new SocketTimeoutException("read timed out");
        }
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    @Override
    public long expiresAt() {
        return expiresAt;
    }

    @Override
    public void expire() {
        if (timedOut) {
            return;
        }
        timedOut = true;
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // closed already: the read has ended anyway
        }
    }

    @Override
    public boolean finished() {
        return socket.isClosed();
    }

    private long remainingNanos() {
        long deadline = deadlineNanos;
        if (deadline != 0) {
            return deadline - System.nanoTime();
        }
        int t = readTimeoutMillis;
        return t == 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(t);
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            if (pendingPos < pendingLen) {
                return pendingLen - pendingPos;
            }
        } finally {
            lock.unlock();
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
