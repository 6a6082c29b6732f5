package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import org.junit.jupiter.api.Test;

class PolicyUpdateTest {

    private static final String OK =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]";

    @Test
    void anUpdatedPolicyJudgesTheNextRequestOnAnOpenKeepAliveConnection() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(OK))) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(
                                    ProxyConfig.builder()
                                            .listen(ListenAddress.tcp("127.0.0.1", 0))
                                            .upstream(Harness.upstreamAddress(upstream))
                                            .policy(Presets.get("read-only"))
                                            .build())
                            .start();
            try (RawClient client = Harness.connect(proxy.boundAddress())) {
                client.send("GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\n\r\n");
                assertThat(client.readResponse().status()).isEqualTo(200);

                Policy old = proxy.updatePolicy(Presets.get("deny-all"));
                assertThat(old.name()).isEqualTo("preset read-only");
                assertThat(proxy.policy().name()).isEqualTo("preset deny-all");

                client.send("GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\n\r\n");
                RawClient.Response denied = client.readResponse();
                assertThat(denied.status()).isEqualTo(405);
                assertThat(denied.bodyText()).contains("deny-all");
            } finally {
                proxy.close();
            }
            assertThat(upstream.received()).containsOnlyOnce("GET /v1.41/containers/json");
        }
    }

    @Test
    void aPolicySetBeforeStartIsTheOneInForce() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.unix(FakeUpstream.answering(OK))) {
            DockerSocketProxy proxy =
                    new DockerSocketProxy(
                            ProxyConfig.builder()
                                    .listen(ListenAddress.tcp("127.0.0.1", 0))
                                    .upstream(Harness.upstreamAddress(upstream))
                                    .policy(Presets.get("deny-all"))
                                    .build());
            proxy.updatePolicy(Presets.get("read-only"));
            proxy.start();
            try (RawClient client = Harness.connect(proxy.boundAddress())) {
                client.send("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n");
                assertThat(client.readResponse().status()).isEqualTo(200);
            } finally {
                proxy.close();
            }
        }
    }
}
