package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeResponseTest {

    @Test
    void aFreshResponseLooksLikeADaemonResponse() {
        FakeResponse r = FakeResponse.builder().build();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.header("api-version")).isEqualTo("1.41");
        assertThat(r.header("Server")).isEqualTo("Docker/20.10.24 (linux)");
        assertThat(r.behavior()).isEqualTo(FakeResponse.Behavior.RESPOND);
    }

    @Test
    void errorWritesDockerStyleJsonWithEscaping() {
        FakeResponse r = FakeResponse.error(403, "denied: \"exec\"\nby rule 2");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyUtf8()).isEqualTo("{\"message\":\"denied: \\\"exec\\\"\\nby rule 2\"}");
    }

    @Test
    void newBuilderCopiesWithoutChangingTheOriginal() {
        FakeResponse original = FakeResponse.json(200, "{}");

        FakeResponse changed =
                original.newBuilder()
                        .status(201)
                        .removeHeader("Server")
                        .addHeader("X-A", "1")
                        .build();

        assertThat(original.status()).isEqualTo(200);
        assertThat(original.header("Server")).isNotNull();
        assertThat(original.header("X-A")).isNull();
        assertThat(changed.status()).isEqualTo(201);
        assertThat(changed.header("Server")).isNull();
        assertThat(changed.bodyUtf8()).isEqualTo("{}");
    }

    @Test
    void bodyBytesAreDefensivelyCopied() {
        byte[] bytes = {1, 2, 3};
        FakeResponse r = FakeResponse.builder().body(bytes).build();
        bytes[0] = 9;
        r.body()[1] = 9;

        assertThat(r.body()).containsExactly(1, 2, 3);
    }

    @Test
    void headersWithLineBreaksAreRefused() {
        assertThatThrownBy(() -> FakeResponse.builder().addHeader("X-Evil", "a\r\nInjected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain CR or LF");
    }

    @Test
    void aResponseHasEitherABodyOrChunks() {
        FakeResponse.Builder b = FakeResponse.builder().body("x").addChunk("y", Duration.ZERO);

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("first chunk");
    }

    @Test
    void statusOutOfRangeIsRefused() {
        assertThatThrownBy(() -> FakeResponse.builder().status(42))
                .hasMessageContaining("100..599");
    }

    @Test
    void hijackSetsTheRawStreamContentTypeUnlessGiven() {
        FakeResponse plain = FakeResponse.hijack(HijackHandler.echo());
        FakeResponse multiplexed =
                FakeResponse.builder()
                        .setHeader("Content-Type", "application/vnd.docker.multiplexed-stream")
                        .hijack(HijackHandler.echo())
                        .build();

        assertThat(plain.behavior()).isEqualTo(FakeResponse.Behavior.HIJACK);
        assertThat(plain.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(multiplexed.header("Content-Type"))
                .isEqualTo("application/vnd.docker.multiplexed-stream");
        assertThat(plain.toString()).isEqualTo("hijack(echo)");
    }

    @Test
    void chunkedResponsesDescribeThemselves() {
        FakeResponse r =
                FakeResponse.builder().addChunk("a", Duration.ofMillis(5)).keepStreamOpen().build();

        assertThat(r.isChunked()).isTrue();
        assertThat(r.chunks())
                .singleElement()
                .satisfies(c -> assertThat(c.delay()).isEqualTo(Duration.ofMillis(5)));
        assertThat(r.toString()).isEqualTo("200 OK (1 chunks, stays open)");
        assertThat(FakeResponse.stall().toString()).isEqualTo("stall");
        assertThat(FakeResponse.dropConnection().toString()).isEqualTo("drop connection");
    }
}
