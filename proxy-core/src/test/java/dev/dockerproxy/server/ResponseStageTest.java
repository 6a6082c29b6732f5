package dev.dockerproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.testsupport.FakeUpstream;
import dev.dockerproxy.testsupport.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The response stage is a real step of the pipeline: it sees whole answers and what it returns is
 * what the client gets.
 */
class ResponseStageTest {

    private static final String INSPECT = "/v1.41/containers/web/json";
    private static final String SECRET_JSON = "{\"Config\":{\"Env\":[\"DB_PASSWORD=hunter2\"]}}";

    /** Masks the password in container inspect answers; records what it saw. */
    static final class Masking implements ResponseStage {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public boolean inspects(Decision decision, Answer answer) {
            return decision.endpointId().equals("containers.inspect")
                    && answer.contentType().startsWith("application/json");
        }

        @Override
        public byte[] apply(Decision decision, Answer answer, byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            seen.add(answer.status() + " " + text);
            return text.replace("hunter2", "<redacted>").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A stage that inspects every answer and returns {@code rewrite}'s result. */
    private static ResponseStage onEveryAnswer(UnaryOperator<byte[]> rewrite) {
        return new ResponseStage() {
            @Override
            public boolean inspects(Decision decision, Answer answer) {
                return true;
            }

            @Override
            public byte[] apply(Decision decision, Answer answer, byte[] body) {
                return rewrite.apply(body);
            }
        };
    }

    private static String contentLengthAnswer(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + body;
    }

    private static String chunkedAnswer(String... chunks) {
        StringBuilder b =
                new StringBuilder(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n");
        for (String c : chunks) {
            b.append(Integer.toHexString(c.length())).append("\r\n").append(c).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    @Test
    void aLengthDelimitedAnswerIsRewrittenWithItsNewLengthAndTheConnectionKeepsWorking()
            throws Exception {
        Masking stage = new Masking();
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(contentLengthAnswer(SECRET_JSON)),
                                b -> b.responseStage(stage));
                RawClient c = h.client()) {
            for (int i = 0; i < 2; i++) {
                RawClient.Response r = c.get(INSPECT);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText())
                        .isEqualTo("{\"Config\":{\"Env\":[\"DB_PASSWORD=<redacted>\"]}}");
                assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
            }
            assertThat(stage.seen).containsExactly("200 " + SECRET_JSON, "200 " + SECRET_JSON);
        }
    }

    @Test
    void aChunkedAnswerIsReadWholeAcrossChunksAndSentWithALength() throws Exception {
        Masking stage = new Masking();
        String[] pieces = {"{\"Config\":{\"Env\":[\"DB_PASSWORD=hun", "ter2\"]}}"};
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(chunkedAnswer(pieces)),
                                b -> b.responseStage(stage));
                RawClient c = h.client()) {
            RawClient.Response r = c.get(INSPECT);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText())
                    .isEqualTo("{\"Config\":{\"Env\":[\"DB_PASSWORD=<redacted>\"]}}");
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(c.get(INSPECT).bodyText()).doesNotContain("hunter2");
        }
    }

    @Test
    void answersNoStageInspectsPassUnchangedAndUnseen() throws Exception {
        Masking stage = new Masking();
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(chunkedAnswer("[", "]")),
                                b -> b.responseStage(stage));
                RawClient c = h.client()) {
            RawClient.Response r = c.get("/v1.41/containers/json");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head().chunked()).isTrue();
            assertThat(r.bodyText()).isEqualTo("[]");
            assertThat(stage.seen).isEmpty();
        }
    }

    @Test
    void stagesApplyInTheOrderTheyWereAdded() throws Exception {
        ResponseStage upper =
                onEveryAnswer(
                        body ->
                                new String(body, StandardCharsets.UTF_8)
                                        .toUpperCase()
                                        .getBytes(StandardCharsets.UTF_8));
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(contentLengthAnswer(SECRET_JSON)),
                                b -> b.responseStage(new Masking()).responseStage(upper));
                RawClient c = h.client()) {
            assertThat(c.get(INSPECT).bodyText())
                    .isEqualTo("{\"CONFIG\":{\"ENV\":[\"DB_PASSWORD=<REDACTED>\"]}}");
        }
    }

    @Test
    void aStageThatThrowsRefusesTheAnswerWith502AndTheDaemonsBodyNeverReachesTheClient()
            throws Exception {
        ResponseStage refusing =
                onEveryAnswer(
                        body -> {
                            throw new IllegalStateException("the answer is not valid JSON");
                        });
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(contentLengthAnswer(SECRET_JSON)),
                                b -> b.responseStage(refusing));
                RawClient c = h.client()) {
            RawClient.Response r = c.get(INSPECT);

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText())
                    .contains(
                            "refused the Docker daemon's answer to containers.inspect",
                            "the answer is not valid JSON")
                    .doesNotContain("hunter2");
            assertThat(c.get(INSPECT).status()).as("the connection still serves").isEqualTo(502);
        }
    }

    @Test
    void aStageThatReturnsNoBodyRefusesTheAnswerToo() throws Exception {
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(contentLengthAnswer(SECRET_JSON)),
                                b -> b.responseStage(onEveryAnswer(body -> null)));
                RawClient c = h.client()) {
            RawClient.Response r = c.get(INSPECT);

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText())
                    .contains("the stage returned no body")
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void anAnswerLargerThanAStageChecksIsRefusedWithoutReadingIt() throws Exception {
        String huge =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                        + (ResponseStage.MAX_BODY + 1L)
                        + "\r\n\r\n{\"Env\":[\"DB_PASSWORD=hunter2\"";
        Masking stage = new Masking();
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                conn -> {
                                    if (conn.readRequest() != null) {
                                        conn.write(huge);
                                    }
                                },
                                b -> b.responseStage(stage));
                RawClient c = h.client()) {
            RawClient.Response r = c.get(INSPECT);

            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText())
                    .contains("larger than " + ResponseStage.MAX_BODY)
                    .doesNotContain("hunter2");
            assertThat(stage.seen).isEmpty();
        }
    }

    @Test
    void anAnswerThatCannotHaveABodyPassesWithoutAnyStage() throws Exception {
        Masking stage = new Masking();
        try (Harness h =
                        Harness.start(
                                TestPolicies.readOnly(),
                                FakeUpstream.answering(
                                        "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\n\r\n"),
                                b -> b.responseStage(stage));
                RawClient c = h.client()) {
            RawClient.Response r = c.get(INSPECT);

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            assertThat(c.get(INSPECT).status()).isEqualTo(204);
            assertThat(stage.seen).isEmpty();
        }
    }
}
