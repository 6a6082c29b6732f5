package dev.dockerproxy.testkit;

import static dev.dockerproxy.testkit.assertj.DaemonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testkit.junit.FakeDockerExtension;
import dev.dockerproxy.testsupport.DockerCli;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example in proxy-testkit/README.md, kept compiling and passing. */
class ReadmeExampleTest {

    @RegisterExtension
    static FakeDockerExtension docker =
            FakeDockerExtension.builder()
                    .resetOnEachTest(true)
                    .failOnUnmatchedRequests(true)
                    .build();

    @Test
    void myCodeOnlyListsContainers(FakeDockerDaemon daemon) throws Exception {
        // script what the canned engine does not know
        daemon.enqueue(
                "GET",
                "/containers/{id}/logs",
                FakeResponse.builder()
                        .addChunk(
                                StdStreamFrames.encode(StdStream.STDOUT, "ready\n"), Duration.ZERO)
                        .build());

        // run the code under test against daemon.dockerHost() (here: the real docker CLI)
        DockerCli cli = DockerCli.on(daemon.dockerHost()).withTimeout(Duration.ofSeconds(30));
        assertThat(cli.run("ps", "-q").stdout()).isEqualTo("f00dfeedc0ff\n");
        assertThat(cli.run("logs", "fake-web").stdout()).isEqualTo("ready\n");

        assertThat(daemon)
                .receivedOnlyReads()
                .received("GET", "/containers/json")
                .neverReceived("POST", "/containers/create");
    }
}
