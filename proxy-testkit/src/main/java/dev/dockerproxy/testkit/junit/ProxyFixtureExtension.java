package dev.dockerproxy.testkit.junit;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.testkit.ProxyFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link ProxyFixture}: starts a proxy with a policy in front of a fake daemon,
 * injects it as a {@code ProxyFixture} parameter, and lets the JUnit Store close it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static ProxyFixtureExtension proxy = ProxyFixtureExtension.builder()
 *         .policy(Presets.get("read-only"))
 *         .resetOnEachTest(true)            // forget the daemon's requests, queue and dispatcher before each test
 *         .build();
 *
 * @Test void myAppOnlyReads(ProxyFixture fixture) { ... fixture.dockerHost() ... fixture.daemon() ... }
 * }</pre>
 *
 * A {@code static} registration shares one fixture across the class; an instance field gets one per
 * test.
 */
public final class ProxyFixtureExtension
        implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ProxyFixtureExtension.class);

    private final Policy policy;
    private final boolean tcp;
    private final boolean resetOnEachTest;
    private volatile ProxyFixture fixture;

    private ProxyFixtureExtension(Policy policy, boolean tcp, boolean resetOnEachTest) {
        this.policy = policy;
        this.tcp = tcp;
        this.resetOnEachTest = resetOnEachTest;
    }

    /** A builder for {@code @RegisterExtension}; {@link Builder#policy(Policy)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The fixture (started before the first test). */
    public ProxyFixture fixture() {
        ProxyFixture f = fixture;
        if (f == null) {
            throw new IllegalStateException(
                    "the proxy fixture starts before the first test; call fixture() from a "
                            + "test or @BeforeEach, or take it as a ProxyFixture parameter");
        }
        return f;
    }

    /**
     * Closes the fixture when the JUnit context that started it ends; AutoCloseable too, so JUnit
     * 5.13+ does not warn.
     */
    @SuppressWarnings("deprecation")
    private static final class Closing
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final ProxyFixture fixture;

        Closing(ProxyFixture fixture) {
            this.fixture = fixture;
        }

        @Override
        public void close() {
            fixture.close();
        }
    }

    private ProxyFixture startIn(ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "fixture",
                        k -> {
                            ProxyFixture.Builder b = ProxyFixture.builder().policy(policy);
                            if (tcp) {
                                b.tcp();
                            }
                            ProxyFixture f = b.build();
                            try {
                                f.start();
                            } catch (IOException e) {
                                throw new UncheckedIOException(
                                        "could not start a ProxyFixture for "
                                                + context.getDisplayName(),
                                        e);
                            }
                            return new Closing(f);
                        },
                        Closing.class)
                .fixture;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture = startIn(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (fixture == null) {
            fixture = startIn(context); // an instance field: one fixture per test
        } else if (resetOnEachTest) {
            fixture.daemon().reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ProxyFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return fixture();
    }

    @Override
    public String toString() {
        return "ProxyFixtureExtension[tcp=" + tcp + ", resetOnEachTest=" + resetOnEachTest + "]";
    }

    /** Builds a {@link ProxyFixtureExtension}. */
    public static final class Builder {
        private Policy policy;
        private boolean tcp;
        private boolean resetOnEachTest;

        private Builder() {}

        /** The policy the proxy enforces, e.g. {@code Presets.get("read-only")}. Required. */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Clients connect on a loopback TCP port instead of a temporary UNIX socket. */
        public Builder tcp() {
            this.tcp = true;
            return this;
        }

        /**
         * Forget the daemon's recorded requests, queued responses and dispatcher before each test
         * (default false).
         */
        public Builder resetOnEachTest(boolean reset) {
            this.resetOnEachTest = reset;
            return this;
        }

        /**
         * @throws IllegalStateException when no policy was set
         */
        public ProxyFixtureExtension build() {
            if (policy == null) {
                throw new IllegalStateException(
                        "no policy set; call policy(...), e.g. "
                                + "ProxyFixtureExtension.builder().policy(Presets.get(\"read-only\"))");
            }
            return new ProxyFixtureExtension(policy, tcp, resetOnEachTest);
        }
    }
}
