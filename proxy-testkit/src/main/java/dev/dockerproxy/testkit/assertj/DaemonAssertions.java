package dev.dockerproxy.testkit.assertj;

import dev.dockerproxy.testkit.FakeDockerDaemon;

/**
 * Entry point for AssertJ assertions on what reached a {@link FakeDockerDaemon}:
 *
 * <pre>{@code
 * import static dev.dockerproxy.testkit.assertj.DaemonAssertions.assertThat;
 *
 * assertThat(daemon).receivedOnlyReads()
 *                   .received("GET", "/containers/json")
 *                   .neverReceived("POST", "/containers/create");
 * }</pre>
 *
 * AssertJ is an optional dependency of the testkit: add {@code assertj-core} to your test classpath
 * to use these.
 */
public final class DaemonAssertions {
    private DaemonAssertions() {}

    /** Assertions on the requests that reached {@code daemon} so far. */
    public static FakeDockerDaemonAssert assertThat(FakeDockerDaemon daemon) {
        return new FakeDockerDaemonAssert(daemon);
    }
}
