package dev.dockerproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedRequestTest {

    private static RecordedRequest get(String target) {
        return new RecordedRequest(
                0,
                0,
                0,
                "GET",
                target,
                List.of(Map.entry("Host", "docker")),
                new byte[0],
                List.of());
    }

    @Test
    void theVersionPrefixIsSplitOffThePath() {
        RecordedRequest r = get("/v1.41/containers/json");

        assertThat(r.path()).isEqualTo("/containers/json");
        assertThat(r.apiVersion()).isEqualTo("1.41");
        assertThat(r.matches("GET", "/containers/json")).isTrue();
    }

    @Test
    void aPathWithoutPrefixHasNoVersion() {
        assertThat(get("/_ping").apiVersion()).isNull();
        assertThat(get("/version").path()).isEqualTo("/version");
    }

    @Test
    void thePathIsDecodedExactlyOnce() {
        RecordedRequest r = get("/v1.41/images/library%2Fnginx%252F/json");

        assertThat(r.path()).isEqualTo("/images/library/nginx%2F/json");
        assertThat(r.target()).isEqualTo("/v1.41/images/library%2Fnginx%252F/json");
    }

    @Test
    void anAbsoluteFormTargetIsReducedToItsPath() {
        assertThat(get("http://docker/v1.41/info?x=1").path()).isEqualTo("/info");
    }

    @Test
    void queryParametersDecodePlusAndRepeat() {
        RecordedRequest r = get("/containers/json?filters=a+b&label=x&label=y&flag");

        assertThat(r.queryParameter("filters")).isEqualTo("a b");
        assertThat(r.queryParameters().get("label")).containsExactly("x", "y");
        assertThat(r.queryParameter("flag")).isEmpty();
        assertThat(r.queryParameter("missing")).isNull();
    }

    @Test
    void decodingProblemsAreRecordedAndTheRawTextKept() {
        RecordedRequest bad = get("/containers/%c3%28/json");
        RecordedRequest truncated = get("/containers/abc%2");

        assertThat(bad.problems()).singleElement().asString().contains("not UTF-8");
        assertThat(truncated.path()).isEqualTo("/containers/abc%2");
        assertThat(truncated.problems())
                .singleElement()
                .asString()
                .contains("invalid percent-encoding in path at index 15");
    }

    @Test
    void controlCharactersInProblemsAreEscaped() {
        RecordedRequest r = get("containers\r\nX: y");

        assertThat(r.problems())
                .singleElement()
                .asString()
                .contains("\\x0d\\x0a")
                .doesNotContain("\r");
    }

    @Test
    void headersAreCaseInsensitiveAndBodiesCopied() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        RecordedRequest r =
                new RecordedRequest(
                        3,
                        1,
                        2,
                        "POST",
                        "/x",
                        List.of(Map.entry("Content-Type", "application/json")),
                        body,
                        List.of());
        body[0] = 'X';

        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.bodyUtf8()).isEqualTo("{}");
        assertThat(r.toString()).isEqualTo("POST /x");
        assertThat(r.sequenceNumber()).isEqualTo(3);
        assertThat(r.connectionIndex()).isEqualTo(1);
        assertThat(r.exchangeIndex()).isEqualTo(2);
    }
}
