package dev.dockerproxy.server.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The automatic choice of threads: virtual threads when the JVM has them (Java 21+), found by
 * reflection so this compiles for Java 17; otherwise a cached pool of daemon platform threads.
 */
public final class Threads {

    private Threads() {}

    /** Whether this JVM offers virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return virtualFactoryMethod() != null;
    }

    /**
     * A new executor: one virtual thread per task on Java 21+, cached platform threads otherwise.
     */
    public static ExecutorService newConnectionExecutor() {
        Method m = virtualFactoryMethod();
        if (m != null) {
            try {
                return (ExecutorService) m.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to platform threads
            }
        }
        return newPlatformExecutor("docker-proxy-conn-");
    }

    /** A cached pool of daemon platform threads named {@code prefix + n}. */
    public static ExecutorService newPlatformExecutor(String prefix) {
        return Executors.newCachedThreadPool(daemonFactory(prefix));
    }

    /** A factory for named daemon platform threads. */
    public static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Method virtualFactoryMethod() {
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
