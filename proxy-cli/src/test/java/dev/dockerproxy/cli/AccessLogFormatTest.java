package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private static final AccessLogEntry PING =
            new AccessLogEntry(
                    Instant.parse("2026-11-28T17:00:00Z"),
                    "tcp:127.0.0.1:5000",
                    "GET",
                    "/v1.41/_ping",
                    "system.ping",
                    true,
                    "PING",
                    "env PING=1",
                    200,
                    2,
                    3);

    private static final AccessLogEntry HOSTILE =
            new AccessLogEntry(
                    Instant.parse("2026-11-28T17:00:00Z"),
                    "tcp:127.0.0.1:5000",
                    "GET",
                    "/x\r\nFAKE 200 OK\u0000\u00e9 y",
                    "malformed",
                    false,
                    "canonical-request",
                    "request canonicalisation",
                    400,
                    0,
                    1);

    @Test
    void textLineHasEveryFieldInOrder() {
        assertThat(AccessLogFormat.TEXT.format(PING))
                .isEqualTo(
                        "2026-11-28T17:00:00Z tcp:127.0.0.1:5000 GET "
                                + "/v1.41/_ping endpoint=system.ping decision=allow rule=PING source=env\\x20PING=1 status=200 "
                                + "bytes=2 duration=3ms");
    }

    @Test
    void textLineEscapesLineBreaksControlCharactersNonAsciiAndSpaces() {
        String line = AccessLogFormat.TEXT.format(HOSTILE);
        assertThat(line)
                .doesNotContain("\r", "\n", "\u0000", "\u00e9")
                .contains("/x\\r\\nFAKE\\x20200\\x20OK\\x00\\u00e9\\x20y ")
                .contains("decision=deny")
                .contains("status=400");
    }

    @Test
    void jsonLineIsOneParseableObjectWithEscapedValues() throws Exception {
        String line = AccessLogFormat.JSON.format(HOSTILE);
        assertThat(line).doesNotContain("\r", "\n", "\u0000", "\u00e9");
        JsonNode o = new ObjectMapper().readTree(line);
        assertThat(o.get("path").asText()).isEqualTo("/x\r\nFAKE 200 OK\u0000\u00e9 y");
        assertThat(o.get("decision").asText()).isEqualTo("deny");
        assertThat(o.get("status").asInt()).isEqualTo(400);
        assertThat(o.get("durationMs").asLong()).isEqualTo(1);
        assertThat(o.get("rule").asText()).isEqualTo("canonical-request");
    }

    @Test
    void logLevelInfoLogsEveryRequestWarningOnlyDenialsErrNone() {
        assertThat(LogLevel.logsRequest("info", true)).isTrue();
        assertThat(LogLevel.logsRequest("warning", true)).isFalse();
        assertThat(LogLevel.logsRequest("warning", false)).isTrue();
        assertThat(LogLevel.logsRequest("err", false)).isFalse();
    }
}
