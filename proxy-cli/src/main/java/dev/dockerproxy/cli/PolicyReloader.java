package dev.dockerproxy.cli;

import dev.dockerproxy.policy.ConfigException;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.server.DockerSocketProxy;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Re-reads the configuration on SIGHUP and swaps the proxy's policy. A configuration that does not
 * load (a bad policy file, a bad variable) leaves the running policy in force and says why: a
 * reload never widens or breaks what is enforced. Thread-safe (reloads are serialised).
 */
final class PolicyReloader {

    private final Supplier<ResolvedConfig> source;
    private final DockerSocketProxy proxy;
    private final PrintWriter err;

    PolicyReloader(Supplier<ResolvedConfig> source, DockerSocketProxy proxy, PrintWriter err) {
        this.source = source;
        this.proxy = proxy;
        this.err = err;
    }

    /** Reloads; returns whether the new policy was applied. */
    synchronized boolean reload() {
        ResolvedConfig next;
        try {
            next = source.get();
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(
                    "docker-socket-proxy: reload failed, keeping the previous policy ("
                            + proxy.policy().name()
                            + "): "
                            + Escaping.printable(e.getMessage()));
            err.flush();
            return false;
        }
        Policy old = proxy.updatePolicy(next.policy());
        err.println(
                "docker-socket-proxy: policy reloaded from "
                        + next.policyOrigin()
                        + " (was "
                        + old.name()
                        + ", "
                        + old.rules().size()
                        + " rules; now "
                        + next.policy().rules().size()
                        + " rules)");
        err.flush();
        return true;
    }

    /**
     * Calls {@link #reload()} on SIGHUP. Uses {@code sun.misc.Signal} (module jdk.unsupported),
     * looked up reflectively so a JVM without it still serves, only without reload-on-signal.
     *
     * @return whether the handler was installed
     */
    boolean installSignalHandler() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler =
                    java.lang.reflect.Proxy.newProxyInstance(
                            handlerClass.getClassLoader(),
                            new Class<?>[] {handlerClass},
                            (p, m, args) -> {
                                if ("handle".equals(m.getName())) {
                                    Thread t =
                                            new Thread(this::reload, "docker-socket-proxy-reload");
                                    t.setDaemon(true);
                                    t.start();
                                }
                                return null;
                            });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hup, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            err.println(
                    "docker-socket-proxy: warning: cannot install the SIGHUP handler ("
                            + e
                            + "); restart the proxy to change its policy");
            err.flush();
            return false;
        }
    }
}
