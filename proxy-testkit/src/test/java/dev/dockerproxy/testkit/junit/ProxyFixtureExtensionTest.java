package dev.dockerproxy.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.testkit.ProxyFixture;
import dev.dockerproxy.testkit.assertj.DaemonAssertions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyFixtureExtensionTest {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private static int get(ProxyFixture fixture, String path) throws Exception {
        return CLIENT.send(
                        HttpRequest.newBuilder(fixture.url(path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int post(ProxyFixture fixture, String path) throws Exception {
        return CLIENT.send(
                        HttpRequest.newBuilder(fixture.url(path))
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class SharedAcrossTheClassAndResetBetweenTests {
        @RegisterExtension
        static ProxyFixtureExtension proxy =
                ProxyFixtureExtension.builder()
                        .policy(Presets.get("read-only"))
                        .tcp()
                        .resetOnEachTest(true)
                        .build();

        static ProxyFixture first;

        @Test
        @Order(1)
        void aStartedFixtureIsInjectedAsAParameter(ProxyFixture fixture) throws Exception {
            first = fixture;

            assertThat(get(fixture, "/containers/json")).isEqualTo(200);
            assertThat(post(fixture, "/containers/create")).isEqualTo(405);
            assertThat(proxy.fixture()).isSameAs(fixture);
            DaemonAssertions.assertThat(fixture.daemon()).receivedExactly("GET /containers/json");
        }

        @Test
        @Order(2)
        void theNextTestGetsTheSameFixtureWithAFreshJournal(ProxyFixture fixture) {
            assertThat(fixture).isSameAs(first);
            assertThat(fixture.proxy().isRunning()).isTrue();
            DaemonAssertions.assertThat(fixture.daemon()).receivedNothing();
        }
    }

    @Nested
    class OnePerTestWhenRegisteredOnAnInstanceField {
        @RegisterExtension
        ProxyFixtureExtension proxy =
                ProxyFixtureExtension.builder().policy(Presets.get("read-only")).build();

        @Test
        void eachTestGetsItsOwnFixtureOnAUnixSocket(ProxyFixture fixture) {
            assertThat(fixture.dockerHost())
                    .startsWith("unix://")
                    .isEqualTo("unix://" + fixture.socketPath());
            assertThat(proxy.fixture()).isSameAs(fixture);
        }
    }

    @Test
    void buildingWithoutAPolicySaysHowToSetOne() {
        assertThatThrownBy(() -> ProxyFixtureExtension.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policy(Presets.get(\"read-only\"))");
    }
}
