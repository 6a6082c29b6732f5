package dev.dockerproxy.server.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The open connections of a proxy, with the connection limit. Thread-safe. */
public final class ConnectionRegistry {

    private final int limit;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Set<ConnectionHandler> handlers = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    public ConnectionRegistry(int limit) {
        this.limit = limit;
    }

    /** Reserves a slot; {@code false} when the limit is reached. */
    public boolean tryAdmit() {
        while (true) {
            int n = admitted.get();
            if (n >= limit) {
                return false;
            }
            if (admitted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void add(ConnectionHandler handler) {
        handlers.add(handler);
    }

    /** Releases the slot of a finished (or never started) connection. */
    public void release(ConnectionHandler handler) {
        if (handler == null || handlers.remove(handler)) {
            admitted.decrementAndGet();
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The number of open connections. */
    public int size() {
        return admitted.get();
    }

    public void closeIdle() {
        handlers.forEach(ConnectionHandler::closeIfIdle);
    }

    public void abortAll() {
        handlers.forEach(ConnectionHandler::abort);
    }

    /** Waits until no connection is open or the deadline passes; returns whether all ended. */
    public boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (admitted.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(
                        Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
