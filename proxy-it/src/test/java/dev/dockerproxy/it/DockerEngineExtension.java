package dev.dockerproxy.it;

import dev.dockerproxy.testsupport.DockerCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 glue for {@link DockerEngine}: skips (assumption) unless {@code -Ddockerproxy.e2e=true};
 * with it, starts the shared engine once per JVM – a failure fails the test with dockerd's log –
 * and registers it in the root store so it is stopped when the test run ends. Resolves {@link
 * DockerEngine} and {@link DockerCli} (pointed at the engine) parameters.
 */
public final class DockerEngineExtension
        implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(DockerEngineExtension.class);

    static final String SKIP_MESSAGE =
            "end-to-end test skipped: it needs a real Docker Engine; run with -D"
                    + DockerEngine.E2E_PROPERTY
                    + "=true (the fixture starts one with scripts/docker-engine.sh; "
                    + "install it once with `scripts/docker-engine.sh install`)";

    /**
     * Without {@code -Ddockerproxy.e2e=true} the class (or method) is disabled with the reason,
     * before any {@code @BeforeAll} that needs the engine runs.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return DockerEngine.e2eEnabled()
                ? ConditionEvaluationResult.enabled("e2e enabled")
                : ConditionEvaluationResult.disabled(SKIP_MESSAGE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Start (or fail) once for the class. When e2e is off, each test is skipped in
        // beforeEach instead, so reports count every skipped test and show the reason.
        if (DockerEngine.e2eEnabled()) {
            engine(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        engine(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec)
            throws ParameterResolutionException {
        Class<?> type = pc.getParameter().getType();
        return type == DockerEngine.class || type == DockerCli.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec)
            throws ParameterResolutionException {
        DockerEngine engine = engine(ec);
        return pc.getParameter().getType() == DockerEngine.class ? engine : engine.cli();
    }

    /** The shared engine, registered for stopping in the root store; aborts when e2e is off. */
    static DockerEngine engine(ExtensionContext context) {
        Assumptions.assumeTrue(DockerEngine.e2eEnabled(), SKIP_MESSAGE);
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(
                        EngineResource.class,
                        k -> new EngineResource(DockerEngine.shared()),
                        EngineResource.class)
                .engine;
    }

    /** Closed by JUnit when the root context closes (end of the run in this JVM). */
    private static final class EngineResource implements AutoCloseable {
        final DockerEngine engine;

        EngineResource(DockerEngine engine) {
            this.engine = engine;
        }

        @Override
        public void close() {
            engine.stop();
        }
    }
}
