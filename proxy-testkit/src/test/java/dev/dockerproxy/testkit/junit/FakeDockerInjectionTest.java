package dev.dockerproxy.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testkit.FakeDockerDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Declarative use: @FakeDocker on fields and parameters. */
class FakeDockerInjectionTest {
    private static final List<Path> perTestSockets = new ArrayList<>();

    @FakeDocker static FakeDockerDaemon shared;

    @FakeDocker FakeDockerDaemon daemon;

    @FakeDocker(tcp = true)
    FakeDockerDaemon tcpDaemon;

    @Test
    void aFieldGetsAStartedDaemonAndAParameterTheSameOne(@FakeDocker FakeDockerDaemon parameter) {
        assertThat(daemon.socketPath()).exists();
        assertThat(parameter).isSameAs(daemon);
        perTestSockets.add(daemon.socketPath());
    }

    @Test
    void eachTestGetsItsOwnDaemonButTheStaticOneIsShared() {
        assertThat(shared.socketPath()).exists();
        assertThat(daemon).isNotSameAs(shared);
        perTestSockets.add(daemon.socketPath());
    }

    @Test
    void tcpIsAvailableOnRequest() {
        assertThat(tcpDaemon.dockerHost()).startsWith("tcp://127.0.0.1:");
        assertThat(tcpDaemon.port()).isPositive();
    }

    @AfterAll
    static void perTestDaemonsWereClosedByTheJUnitStore() {
        assertThat(perTestSockets)
                .hasSize(2)
                .allSatisfy(p -> assertThat(Files.exists(p)).isFalse());
        assertThat(shared.socketPath()).exists(); // closed only after the class
    }
}
