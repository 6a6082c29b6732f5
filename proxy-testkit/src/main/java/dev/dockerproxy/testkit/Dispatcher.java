package dev.dockerproxy.testkit;

/**
 * Chooses the response for each request that reaches a {@link FakeDockerDaemon} and finds nothing
 * in its queue. The default is a {@link DockerEngineDispatcher}. Called concurrently from
 * connection threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface Dispatcher {

    /** The response for {@code request}; never {@code null}. */
    FakeResponse dispatch(RecordedRequest request) throws InterruptedException;

    /**
     * Whether {@code response} means "nothing here answers this request" (the daemon's {@code 404
     * page not found}). Such requests are listed by {@link FakeDockerDaemon#unmatchedRequests()}.
     */
    default boolean isUnmatched(FakeResponse response) {
        return response == DockerEngineDispatcher.PAGE_NOT_FOUND;
    }
}
