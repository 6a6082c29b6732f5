package dev.dockerproxy.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Formats access-log lines: space-separated {@code key=value} text, or JSON lines. Every value
 * taken from a request is escaped, so no request can forge or split a log line (CR, LF, control and
 * non-ASCII characters never appear raw).
 */
public enum AccessLogFormat {

    /**
     * {@code 2026-11-28T17:00:00Z tcp:127.0.0.1:5000 GET /_ping endpoint=system.ping allow ...}.
     */
    TEXT {
        @Override
        public String format(AccessLogEntry e) {
            return IsoInstant.format(e.time())
                    + " "
                    + Escaping.field(e.client())
                    + " "
                    + Escaping.field(e.method())
                    + " "
                    + Escaping.field(e.path())
                    + " endpoint="
                    + Escaping.field(e.endpoint())
                    + " decision="
                    + (e.allowed() ? "allow" : "deny")
                    + " rule="
                    + Escaping.field(e.rule())
                    + " source="
                    + Escaping.field(e.ruleSource())
                    + " status="
                    + e.status()
                    + " bytes="
                    + e.bytes()
                    + " duration="
                    + e.durationMs()
                    + "ms";
        }
    },

    /** One JSON object per line, non-ASCII escaped. */
    JSON {
        @Override
        public String format(AccessLogEntry e) {
            ObjectNode o = JsonWriter.MAPPER.createObjectNode();
            o.put("time", IsoInstant.format(e.time()));
            o.put("client", e.client());
            o.put("method", e.method());
            o.put("path", e.path());
            o.put("endpoint", e.endpoint());
            o.put("decision", e.allowed() ? "allow" : "deny");
            o.put("rule", e.rule());
            o.put("source", e.ruleSource());
            o.put("status", e.status());
            o.put("bytes", e.bytes());
            o.put("durationMs", e.durationMs());
            try {
                return JsonWriter.MAPPER.writeValueAsString(o);
            } catch (JsonProcessingException x) {
                throw new UncheckedIOException(x);
            }
        }
    };

    /**
     * Loaded on the first JSON line only, so a text log never pays for Jackson databind's classes.
     */
    private static final class JsonWriter {
        static final JsonMapper MAPPER =
                JsonMapper.builder()
                        .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .build();
    }

    /** One log line, without the line terminator. */
    public abstract String format(AccessLogEntry entry);

    /** The format for a resolved configuration. */
    public static AccessLogFormat of(ResolvedConfig.LogFormat f) {
        return f == ResolvedConfig.LogFormat.JSON ? JSON : TEXT;
    }
}
