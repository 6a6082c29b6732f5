package dev.dockerproxy.testkit.junit;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link FakeDockerDaemon}: starts daemons, injects them, and lets the JUnit Store
 * close them.
 *
 * <p>Declarative: annotate fields or parameters with {@link FakeDocker}. Programmatic, with
 * options:
 *
 * <pre>{@code
 * @RegisterExtension
 * static FakeDockerExtension docker = FakeDockerExtension.builder()
 *         .resetOnEachTest(true)            // forget requests, queue and dispatcher before each test
 *         .failOnUnmatchedRequests(true)    // fail a test when a request got "404 page not found"
 *         .build();
 *
 * @Test void listsContainers(FakeDockerDaemon daemon) { ... daemon.dockerHost() ... }
 * }</pre>
 *
 * A {@code static} registration shares one daemon across the class; an instance field gets one per
 * test. The registered extension resolves un-annotated {@code FakeDockerDaemon} parameters;
 * {@code @FakeDocker} ones are resolved by the declarative extension. JUnit Jupiter is an optional
 * dependency of the testkit.
 */
public final class FakeDockerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FakeDockerExtension.class);

    private final boolean programmatic;
    private final boolean resetOnEachTest;
    private final boolean failOnUnmatchedRequests;
    private final boolean tcp;
    private volatile FakeDockerDaemon daemon;

    /** The declarative extension behind {@link FakeDocker}. */
    public FakeDockerExtension() {
        this(false, false, false, false);
    }

    private FakeDockerExtension(
            boolean programmatic,
            boolean resetOnEachTest,
            boolean failOnUnmatchedRequests,
            boolean tcp) {
        this.programmatic = programmatic;
        this.resetOnEachTest = resetOnEachTest;
        this.failOnUnmatchedRequests = failOnUnmatchedRequests;
        this.tcp = tcp;
    }

    /** A builder for a programmatic extension, for {@code @RegisterExtension}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The daemon of a registered extension (started before each test). */
    public FakeDockerDaemon daemon() {
        FakeDockerDaemon d = daemon;
        if (d == null) {
            throw new IllegalStateException(
                    "the daemon starts before the first test; call daemon() from a test or "
                            + "@BeforeEach, or take it as a FakeDockerDaemon parameter");
        }
        return d;
    }

    /**
     * Stores the daemon in the JUnit Store, so JUnit closes it when {@code context} ends. {@code
     * CloseableResource} (deprecated in 5.13) on purpose: JUnit before 5.13 closes nothing else.
     */
    @SuppressWarnings("deprecation")
    private static final class Closing implements ExtensionContext.Store.CloseableResource {
        final FakeDockerDaemon daemon;

        Closing(FakeDockerDaemon daemon) {
            this.daemon = daemon;
        }

        @Override
        public void close() {
            daemon.close();
        }
    }

    private static FakeDockerDaemon startIn(ExtensionContext context, String key, boolean tcp) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        key,
                        k -> {
                            FakeDockerDaemon d =
                                    tcp ? FakeDockerDaemon.onTcp() : new FakeDockerDaemon();
                            try {
                                d.start();
                            } catch (IOException e) {
                                throw new UncheckedIOException(
                                        "could not start a FakeDockerDaemon for "
                                                + context.getDisplayName(),
                                        e);
                            }
                            return new Closing(d);
                        },
                        Closing.class)
                .daemon;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        if (programmatic) {
            daemon = startIn(context, "registered", tcp);
            return;
        }
        for (Field field : annotatedFields(context.getRequiredTestClass())) {
            if (Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(
                        null,
                        startIn(
                                context,
                                "static:" + field.getName(),
                                field.getAnnotation(FakeDocker.class).tcp()));
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        if (programmatic) {
            if (daemon == null) {
                daemon =
                        startIn(
                                context,
                                "registered",
                                tcp); // an instance field: one daemon per test
            } else if (resetOnEachTest) {
                daemon.reset();
            }
            context.getStore(NAMESPACE).put("unmatchedBefore", daemon.unmatchedRequests().size());
            return;
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : annotatedFields(instance.getClass())) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    boolean wantTcp = field.getAnnotation(FakeDocker.class).tcp();
                    field.set(instance, startIn(context, perTestKey(wantTcp), wantTcp));
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!programmatic || !failOnUnmatchedRequests || daemon == null) {
            return;
        }
        Integer before = context.getStore(NAMESPACE).get("unmatchedBefore", Integer.class);
        List<RecordedRequest> unmatched = daemon.unmatchedRequests();
        List<RecordedRequest> fresh =
                unmatched.subList(
                        before == null ? 0 : Math.min(before, unmatched.size()), unmatched.size());
        if (!fresh.isEmpty()) {
            StringBuilder msg =
                    new StringBuilder(
                            "Nothing answered "
                                    + fresh.size()
                                    + " request(s) to "
                                    + daemon
                                    + " (they got Docker's 404 \"page not found\"):");
            fresh.forEach(r -> msg.append("\n  - ").append(r));
            msg.append(
                    "\nEnqueue responses or add dispatcher routes for them, or build the extension with "
                            + "failOnUnmatchedRequests(false).\nAll requests in this test:");
            daemon.requests().forEach(r -> msg.append("\n  ").append(r));
            throw new AssertionError(msg.toString());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() != FakeDockerDaemon.class) {
            return false;
        }
        return programmatic != parameter.isAnnotated(FakeDocker.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (programmatic) {
            return daemon();
        }
        boolean wantTcp =
                parameter.findAnnotation(FakeDocker.class).map(FakeDocker::tcp).orElse(false);
        return startIn(context, perTestKey(wantTcp), wantTcp);
    }

    /** One UNIX and one TCP daemon per test: a field and a parameter of the same kind share it. */
    private static String perTestKey(boolean tcp) {
        return tcp ? "each:tcp" : "each:unix";
    }

    private static List<Field> annotatedFields(Class<?> type) {
        java.util.ArrayList<Field> fields = new java.util.ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(FakeDocker.class)) {
                    if (f.getType() != FakeDockerDaemon.class) {
                        throw new ExtensionConfigurationException(
                                "@FakeDocker field "
                                        + f.getName()
                                        + " must be of type "
                                        + "FakeDockerDaemon, is "
                                        + f.getType().getName());
                    }
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    @Override
    public String toString() {
        return "FakeDockerExtension["
                + (programmatic
                        ? "registered, resetOnEachTest="
                                + resetOnEachTest
                                + ", failOnUnmatchedRequests="
                                + failOnUnmatchedRequests
                        : "declarative")
                + "]";
    }

    /** Builds a programmatic {@link FakeDockerExtension}. */
    public static final class Builder {
        private boolean resetOnEachTest;
        private boolean failOnUnmatchedRequests;
        private boolean tcp;

        private Builder() {}

        /**
         * Forget recorded requests, queued responses and the dispatcher before each test (default
         * false).
         */
        public Builder resetOnEachTest(boolean reset) {
            this.resetOnEachTest = reset;
            return this;
        }

        /**
         * Fail a test when a request during it found no answer: Docker's 404 "page not found"
         * (default false).
         */
        public Builder failOnUnmatchedRequests(boolean fail) {
            this.failOnUnmatchedRequests = fail;
            return this;
        }

        /** Listen on a loopback TCP port instead of a UNIX socket. */
        public Builder tcp() {
            this.tcp = true;
            return this;
        }

        public FakeDockerExtension build() {
            return new FakeDockerExtension(true, resetOnEachTest, failOnUnmatchedRequests, tcp);
        }
    }
}
