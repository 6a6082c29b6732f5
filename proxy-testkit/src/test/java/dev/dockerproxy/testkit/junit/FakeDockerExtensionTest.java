package dev.dockerproxy.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testsupport.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs sample test classes with the JUnit launcher and checks what the registered extension made of
 * them.
 */
class FakeDockerExtensionTest {
    static final Map<String, Object> seen = new ConcurrentHashMap<>();

    static void call(FakeDockerDaemon daemon, String method, String target) throws IOException {
        try (RawClient c = RawClient.unix(daemon.socketPath())) {
            c.send(method + " " + target + " HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
                    .readToEnd();
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request().selectors(selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedStrictSample {
        @RegisterExtension
        static FakeDockerExtension docker =
                FakeDockerExtension.builder()
                        .resetOnEachTest(true)
                        .failOnUnmatchedRequests(true)
                        .build();

        @Test
        @Order(1)
        void callsAnUnknownRoute(FakeDockerDaemon daemon) throws IOException {
            seen.put("socket", daemon.socketPath());
            call(daemon, "POST", "/v1.41/volumes/create");
        }

        @Test
        @Order(2)
        void startsWithAnEmptyJournalAndAnsweredRequestsPass(FakeDockerDaemon daemon)
                throws IOException {
            seen.put("sameDaemon", daemon.socketPath().equals(seen.get("socket")));
            seen.put("countAtStart", daemon.requestCount());
            daemon.enqueue("POST", "/volumes/create", FakeResponse.json(201, "{\"Name\":\"v\"}"));
            call(daemon, "POST", "/v1.41/volumes/create");
            call(daemon, "GET", "/v1.41/info");
        }

        @Test
        @Order(3)
        void theRegisteredDaemonIsAlsoReachableFromTheField() {
            seen.put("fieldDaemon", docker.daemon().socketPath());
        }
    }

    @Test
    void failOnUnmatchedRequestsFailsOnlyTheTestThatMadeThem() {
        seen.clear();

        TestExecutionSummary summary = run(SharedStrictSample.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        List<TestExecutionSummary.Failure> failures = summary.getFailures();
        assertThat(failures)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.getTestIdentifier().getDisplayName())
                                    .startsWith("callsAnUnknownRoute");
                            assertThat(f.getException())
                                    .isInstanceOf(AssertionError.class)
                                    .hasMessageContaining(
                                            "Nothing answered 1 request(s) to FakeDockerDaemon[unix:///tmp/fdd")
                                    .hasMessageContaining("\n  - POST /v1.41/volumes/create\n")
                                    .hasMessageContaining("failOnUnmatchedRequests(false)");
                        });
    }

    @Test
    void aStaticRegistrationSharesOneDaemonResetsItAndClosesItAfterTheClass() {
        seen.clear();

        run(SharedStrictSample.class);

        assertThat(seen).containsEntry("sameDaemon", true).containsEntry("countAtStart", 0);
        assertThat(seen.get("fieldDaemon")).isEqualTo(seen.get("socket"));
        assertThat((Path) seen.get("socket")).doesNotExist();
    }

    static class LenientSample {
        @RegisterExtension FakeDockerExtension docker = FakeDockerExtension.builder().build();

        @Test
        void unknownRoutesAreFineWhenNotStrict(FakeDockerDaemon daemon) throws IOException {
            call(daemon, "POST", "/v1.41/volumes/create");
            seen.put("unmatched", daemon.unmatchedRequests().size());
        }
    }

    @Test
    void withoutFailOnUnmatchedRequestsUnknownRoutesDoNotFailTheTest() {
        seen.clear();

        TestExecutionSummary summary = run(LenientSample.class);

        assertThat(
                        summary.getFailures().stream()
                                .map(f -> f.getException().toString())
                                .collect(Collectors.toList()))
                .isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(seen).containsEntry("unmatched", 1);
    }

    @Test
    void daemonBeforeAnyTestSaysWhenItStarts() {
        FakeDockerExtension extension = FakeDockerExtension.builder().build();

        org.assertj.core.api.Assertions.assertThatThrownBy(extension::daemon)
                .hasMessageContaining("the daemon starts before the first test");
    }
}
