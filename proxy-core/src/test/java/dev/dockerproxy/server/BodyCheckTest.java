package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bodies under the policy's body constraints are read whole, checked, and forwarded as checked. */
class BodyCheckTest {

    private static final String CREATED =
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 13\r\n\r\n{\"Id\":\"c1\"}\r\n";

    @Test
    void acceptableCreateBodyIsForwardedExactlyAsChecked() throws Exception {
        CompletableFuture<String> forwarded = new CompletableFuture<>();
        FakeUpstream.Script script =
                conn -> {
                    String head = conn.reader().readHead();
                    forwarded.complete(
                            head + new String(conn.reader().readBody(head, false), "UTF-8"));
                    conn.write(CREATED);
                };
        String body = "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"none\"}}";
        try (Harness h = Harness.start(TestPolicies.createWithBodyConstraints(), script);
                RawClient c = h.client()) {
            c.send(
                    "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(body.length())
                            + "\r\n"
                            + body
                            + "\r\n0\r\n\r\n");

            assertThat(c.readResponse().status()).isEqualTo(201);
            String seen = forwarded.get(5, TimeUnit.SECONDS);
            assertThat(seen)
                    .contains("Content-Length: " + body.length() + "\r\n")
                    .doesNotContain("chunked");
            assertThat(seen).endsWith("\r\n\r\n" + body);
        }
    }

    @Test
    void privilegedCreateIsDeniedAfterTheBodyIsReadAndTheConnectionStaysUsable() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.createWithBodyConstraints(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"));
                RawClient c = h.client()) {
            String body = "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}";
            RawClient.Response r =
                    c.send(
                                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            + body.length()
                                            + "\r\n\r\n"
                                            + body
                                            + "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse();

            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).contains("Privileged");
            assertThat(c.readResponse().bodyText()).isEqualTo("OK");
            assertThat(h.upstream.received()).doesNotContain("POST").doesNotContain("Privileged");
        }
    }

    @Test
    void duplicateKeysThatCouldSmuggleAFieldAreDenied() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.createWithBodyConstraints(),
                                FakeUpstream.answering(CREATED));
                RawClient c = h.client()) {
            String body =
                    "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}";
            RawClient.Response r =
                    c.send(
                                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            + body.length()
                                            + "\r\n\r\n"
                                            + body)
                            .readResponse();

            assertThat(r.status()).isEqualTo(403);
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void bodyLargerThanTheCheckLimitGets413AndTheConnectionCloses() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.createWithBodyConstraints(),
                                FakeUpstream.answering(CREATED));
                RawClient c = h.client()) {
            String body = "{\"Image\":\"" + "a".repeat(2000) + "\"}";
            RawClient.Response r =
                    c.send(
                                    "POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            + body.length()
                                            + "\r\n\r\n"
                                            + body)
                            .readResponse();

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }

    @Test
    void aBorrowedContainerIsLookedUpOnTheDaemonAndItsSocketMountRefusesTheCreate()
            throws Exception {
        String sockInspect =
                "{\"HostConfig\":{\"NetworkMode\":\"none\"},\"Mounts\":[{\"Type\":\"bind\","
                        + "\"Source\":\"/var/run/docker.sock\",\"RW\":true}]}";
        FakeUpstream.Script daemon =
                conn -> {
                    String head = conn.reader().readHead();
                    if (head.startsWith("GET /containers/proxy/json ")) {
                        conn.write(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                        + sockInspect.length()
                                        + "\r\n\r\n"
                                        + sockInspect);
                    } else if (head.startsWith("GET /containers/")) {
                        conn.write("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
                    } else {
                        conn.reader().readBody(head, false);
                        conn.write(CREATED);
                    }
                };
        try (Harness h = Harness.start(TestPolicies.createWithBodyConstraints(), daemon);
                RawClient c = h.client()) {
            String body = "{\"Image\":\"busybox\",\"HostConfig\":{\"VolumesFrom\":[\"proxy:ro\"]}}";
            RawClient.Response r =
                    c.send(
                                    "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            + body.length()
                                            + "\r\n\r\n"
                                            + body)
                            .readResponse();

            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText())
                    .contains("HostConfig.VolumesFrom[0] (container proxy).Mounts[0].Source")
                    .contains("Docker socket");
            assertThat(h.upstream.received())
                    .contains("GET /containers/proxy/json HTTP/1.1")
                    .doesNotContain("POST");

            String missing =
                    "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"container:gone\"}}";
            RawClient.Response r2 =
                    c.send(
                                    "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                            + missing.length()
                                            + "\r\n\r\n"
                                            + missing)
                            .readResponse();
            assertThat(r2.status()).isEqualTo(403);
            assertThat(r2.bodyText()).contains("no such container");
        }
    }

    @Test
    void aStartRequestWithABodyIsRefusedAndAFormBodyOnABuildToo() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.allowAll(),
                                FakeUpstream.answering("HTTP/1.1 204 No Content\r\n\r\n"));
                RawClient c = h.client()) {
            String body = "{\"Privileged\":true}";
            RawClient.Response r =
                    c.send(
                                    "POST /v1.41/containers/abc/start HTTP/1.1\r\nHost: x\r\n"
                                            + "Content-Type: application/json\r\nContent-Length: "
                                            + body.length()
                                            + "\r\n\r\n"
                                            + body)
                            .readResponse();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).contains("carries no body");

            RawClient.Response ok =
                    c.send(
                                    "POST /v1.41/containers/abc/start HTTP/1.1\r\nHost: x\r\n"
                                            + "Content-Length: 0\r\n\r\n")
                            .readResponse();
            assertThat(ok.status()).isEqualTo(204);
        }
        try (Harness h = Harness.start(TestPolicies.allowAll(), FakeUpstream.answering(CREATED));
                RawClient c = h.client()) {
            String form = "networkmode=host";
            RawClient.Response r =
                    c.send(
                                    "POST /v1.41/build HTTP/1.1\r\nHost: x\r\n"
                                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                                            + form.length()
                                            + "\r\n\r\n"
                                            + form)
                            .readResponse();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).contains("HTML form");
            assertThat(h.upstream.connectionCount()).isZero();
        }
    }
}
