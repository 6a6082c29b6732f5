package dev.dockerproxy.testkit;

import dev.dockerproxy.testkit.internal.HeaderLists;
import dev.dockerproxy.testkit.internal.TargetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request that reached the {@link FakeDockerDaemon}, as plain data.
 *
 * <p>The daemon decodes the target the way Docker does (percent-decoded once, {@code /vX.Y} prefix
 * split off) into {@link #path()} and {@link #apiVersion()}. Decoding problems never throw: they
 * are listed in {@link #problems()} and the raw text is kept. Immutable and thread-safe.
 */
public final class RecordedRequest {
    private final long sequenceNumber;
    private final int connectionIndex;
    private final int exchangeIndex;
    private final String method;
    private final String target;
    private final String path;
    private final String apiVersion;
    private final Map<String, List<String>> query;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final List<String> problems;

    /**
     * Records a request.
     *
     * @param sequenceNumber position among all requests this daemon received (0-based)
     * @param connectionIndex which connection it came on (0-based, in accept order)
     * @param exchangeIndex its position on that connection (0 for the first request, 1 for the next
     *     keep-alive one…)
     * @param method the method as received
     * @param target the request target as received
     * @param headers the headers in order
     * @param body the body after transfer decoding
     * @param readProblems problems met while reading the request (empty if none)
     */
    public RecordedRequest(
            long sequenceNumber,
            int connectionIndex,
            int exchangeIndex,
            String method,
            String target,
            List<Map.Entry<String, String>> headers,
            byte[] body,
            List<String> readProblems) {
        this.sequenceNumber = sequenceNumber;
        this.connectionIndex = connectionIndex;
        this.exchangeIndex = exchangeIndex;
        this.method = Objects.requireNonNull(method, "method");
        this.target = Objects.requireNonNull(target, "target");
        this.headers = List.copyOf(headers);
        this.body = body.clone();
        TargetDecoder.Decoded decoded = TargetDecoder.decode(target);
        this.path = decoded.path();
        this.apiVersion = decoded.apiVersion();
        this.query = decoded.query();
        List<String> all = new ArrayList<>(readProblems);
        all.addAll(decoded.problems());
        this.problems = Collections.unmodifiableList(all);
    }

    /** Position among all requests this daemon received, from 0. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** Which connection the request came on, from 0 in accept order. */
    public int connectionIndex() {
        return connectionIndex;
    }

    /** Position of the request on its connection, from 0 (keep-alive requests count up). */
    public int exchangeIndex() {
        return exchangeIndex;
    }

    /** The method, exactly as received. */
    public String method() {
        return method;
    }

    /** The request target, exactly as received (e.g. {@code /v1.41/containers/json?all=1}). */
    public String target() {
        return target;
    }

    /**
     * The canonical path: decoded once, without query and without the {@code /vX.Y} prefix (e.g.
     * {@code /containers/json}).
     */
    public String path() {
        return path;
    }

    /**
     * The API version from the {@code /vX.Y} prefix (e.g. {@code 1.41}), or {@code null} when the
     * target had none.
     */
    public String apiVersion() {
        return apiVersion;
    }

    /** The decoded query parameters, in order. */
    public Map<String, List<String>> queryParameters() {
        return query;
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The headers in the order received. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HeaderLists.first(headers, name);
    }

    /** The body after transfer decoding (a copy); empty when there was none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Problems met while reading or decoding the request; empty for a well-formed request. */
    public List<String> problems() {
        return problems;
    }

    /** Whether the method and canonical path are {@code method} and {@code path}. */
    public boolean matches(String method, String path) {
        return this.method.equals(method) && this.path.equals(path);
    }

    /** {@code METHOD target}, e.g. {@code GET /v1.41/containers/json?all=1}. */
    @Override
    public String toString() {
        return method + " " + target;
    }
}
