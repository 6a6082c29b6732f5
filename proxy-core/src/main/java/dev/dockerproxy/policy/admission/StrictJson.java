package dev.dockerproxy.policy.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.dockerproxy.policy.Texts;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a request body the way the daemon will read it, or refuses it. Go's {@code encoding/json}
 * matches object keys to struct fields case-insensitively with Unicode simple folding ({@code ſ}
 * U+017F folds to {@code s}, {@code K} U+212A to {@code k}) and lets the last duplicate win. Rather
 * than guess which of two such keys the daemon would use, any object with two keys that fold to the
 * same string is refused, as is anything after the first JSON value. Objects are returned with
 * folded keys, so a lookup by folded field name sees exactly what the daemon sees.
 *
 * <p>Values: {@code Map<String,Object>} (folded keys), {@code List<Object>}, {@code String}, {@code
 * Boolean}, {@code Number} or {@link #NULL}. Stateless and thread-safe.
 */
public final class StrictJson {

    /** JSON {@code null}. */
    public static final Object NULL =
            new Object() {
                @Override
                public String toString() {
                    return "null";
                }
            };

    private static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_DEPTH)
                                    .maxStringLength(1 << 20)
                                    .maxNumberLength(64)
                                    .build())
                    .build();

    private StrictJson() {}

    /** Thrown for a body the proxy will not forward; the message is safe to show. */
    public static final class RefusedBodyException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedBodyException(String message) {
            super(message);
        }
    }

    /**
     * Parses one JSON value.
     *
     * @return the value, or {@code null} for an empty body (the daemon accepts an empty body)
     */
    public static Object parse(byte[] body) throws RefusedBodyException {
        if (body.length == 0 || isBlank(body)) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            Object value = read(p, t, 0);
            if (p.nextToken() != null) {
                throw new RefusedBodyException(
                        "the body has data after its JSON value; send exactly one JSON value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new RefusedBodyException(
                    "the body is not valid JSON ("
                            + Texts.printable(e.getOriginalMessage())
                            + "); the proxy fails closed on bodies it cannot read");
        } catch (IOException e) {
            throw new RefusedBodyException(
                    "the body could not be read: " + Texts.printable(e.getMessage()));
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
                return false;
            }
        }
        return true;
    }

    private static Object read(JsonParser p, JsonToken t, int depth)
            throws IOException, RefusedBodyException {
        if (t == null) {
            throw new RefusedBodyException("the body ends before its JSON value does");
        }
        switch (t) {
            case START_OBJECT:
                {
                    JsonObject m = new JsonObject();
                    for (JsonToken k = p.nextToken();
                            k != JsonToken.END_OBJECT;
                            k = p.nextToken()) {
                        String key = p.currentName();
                        if (m.containsKey(fold(key))) {
                            throw new RefusedBodyException(
                                    "the body has two keys that the daemon reads as the same field ('"
                                            + Texts.printable(key)
                                            + "'); the daemon matches keys case-insensitively and keeps "
                                            + "the last one, so the proxy refuses such bodies");
                        }
                        m.add(key, read(p, p.nextToken(), depth + 1));
                    }
                    return m;
                }
            case START_ARRAY:
                {
                    List<Object> l = new ArrayList<>();
                    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                        l.add(read(p, v, depth + 1));
                    }
                    return Collections.unmodifiableList(l);
                }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            default:
                throw new RefusedBodyException("unexpected JSON token " + t);
        }
    }

    /**
     * A JSON object: keys folded for look-ups (as the daemon matches them), with the spelling the
     * client used kept for messages. Unmodifiable once parsed.
     */
    public static final class JsonObject extends AbstractMap<String, Object> {
        private final Map<String, Object> byFolded = new LinkedHashMap<>();
        private final Map<String, String> spelling = new LinkedHashMap<>();

        private void add(String key, Object value) {
            String folded = fold(key);
            byFolded.put(folded, value);
            spelling.put(folded, key);
        }

        /** The key as the client wrote it, for a folded key of this object. */
        public String spelled(String foldedKey) {
            return spelling.getOrDefault(foldedKey, foldedKey);
        }

        @Override
        public Object get(Object key) {
            return byFolded.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return byFolded.containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Collections.unmodifiableMap(byFolded).entrySet();
        }
    }

    /**
     * Go's case-insensitive match with Unicode simple folding, as a canonical key (see {@link
     * Keys#fold}).
     */
    public static String fold(String key) {
        return Keys.fold(key);
    }

    /**
     * Looks up a path of field names (compared folded) in nested objects; {@code null} when absent.
     */
    public static Object at(Object root, String... fields) {
        Object cur = root;
        for (String f : fields) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<?, ?>) cur).get(fold(f));
        }
        return cur;
    }
}
