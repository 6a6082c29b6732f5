package dev.dockerproxy.testkit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockerproxy.testkit.RecordedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per recorded request: {@code seq}, {@code connection}, {@code exchange}, {@code
 * method}, {@code target}, {@code path}, {@code apiVersion}, {@code query}, {@code headers} (list
 * of [name, value]), {@code body} (UTF-8 text) or {@code bodyBase64} (when not UTF-8), {@code
 * problems}.
 */
public final class JournalJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalJson() {}

    public static String line(RecordedRequest r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", r.sequenceNumber());
        o.put("connection", r.connectionIndex());
        o.put("exchange", r.exchangeIndex());
        o.put("method", r.method());
        o.put("target", r.target());
        o.put("path", r.path());
        if (r.apiVersion() != null) {
            o.put("apiVersion", r.apiVersion());
        } else {
            o.putNull("apiVersion");
        }
        ObjectNode query = o.putObject("query");
        for (Map.Entry<String, List<String>> q : r.queryParameters().entrySet()) {
            ArrayNode values = query.putArray(q.getKey());
            q.getValue().forEach(values::add);
        }
        ArrayNode headers = o.putArray("headers");
        for (Map.Entry<String, String> h : r.headers()) {
            headers.addArray().add(h.getKey()).add(h.getValue());
        }
        byte[] body = r.body();
        try {
            o.put(
                    "body",
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            o.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
        ArrayNode problems = o.putArray("problems");
        r.problems().forEach(problems::add);
        return o.toString();
    }
}
