package dev.dockerproxy.testkit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.dockerproxy.testkit.internal.HeaderLists;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A scripted answer of the {@link FakeDockerDaemon}: an immutable value built with {@link
 * #builder()} (or copied and changed with {@link #newBuilder()}).
 *
 * <p>A fresh builder already carries the headers a Docker Engine puts on every response ({@code
 * Api-Version}, {@code Docker-Experimental}, {@code Ostype}, {@code Server}); remove them with
 * {@link Builder#removeHeader(String)} to test a client against something that is not quite a
 * daemon.
 *
 * <p>Besides a plain status/headers/body answer, a response can
 *
 * <ul>
 *   <li>stream its body as chunks, each after a delay ({@link Builder#addChunk(String, Duration)}),
 *       and optionally keep the stream open afterwards ({@link Builder#keepStreamOpen()});
 *   <li>wait before the head ({@link Builder#headersDelay(Duration)}) or never answer ({@link
 *       #stall()});
 *   <li>close the connection without any response ({@link #dropConnection()});
 *   <li>take over the raw socket like {@code attach}/{@code exec start} do ({@link
 *       #hijack(HijackHandler)});
 *   <li>serve the daemon's event stream ({@link #eventStream()}), fed by {@link
 *       FakeDockerDaemon#pushEvent(String)}.
 * </ul>
 *
 * <p>Thread-safe: instances are immutable and may be served any number of times.
 */
public final class FakeResponse {

    /** What the daemon does with the connection when it serves this response. */
    public enum Behavior {
        /** Write the head and the body (or the chunks). */
        RESPOND,
        /** Never write anything; hold the connection until the client or the daemon closes it. */
        STALL,
        /** Close the connection at once, without a response. */
        DROP_CONNECTION,
        /**
         * Write a {@code 101 UPGRADED} (or {@code 200} raw-stream) head, then hand the socket to a
         * {@link HijackHandler}.
         */
        HIJACK,
        /**
         * Write a chunked {@code 200} head, then every event pushed with {@link
         * FakeDockerDaemon#pushEvent(String)}.
         */
        EVENT_STREAM
    }

    /**
     * One piece of a chunked body: {@code delay} passes before {@code bytes} are written and
     * flushed.
     */
    public static final class Chunk {
        private final byte[] bytes;
        private final Duration delay;

        private Chunk(byte[] bytes, Duration delay) {
            this.bytes = bytes.clone();
            this.delay = Objects.requireNonNull(delay, "delay");
        }

        /** A chunk written after {@code delay}. */
        public static Chunk of(byte[] bytes, Duration delay) {
            return new Chunk(Objects.requireNonNull(bytes, "bytes"), delay);
        }

        /** The bytes of this chunk (a copy). */
        public byte[] bytes() {
            return bytes.clone();
        }

        /** How long the daemon waits before writing this chunk. */
        public Duration delay() {
            return delay;
        }
    }

    static final List<Map.Entry<String, String>> DAEMON_HEADERS =
            List.of(
                    Map.entry("Api-Version", "1.41"),
                    Map.entry("Docker-Experimental", "false"),
                    Map.entry("Ostype", "linux"),
                    Map.entry("Server", "Docker/20.10.24 (linux)"));

    private final int status;
    private final String reason;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final List<Chunk> chunks;
    private final boolean keepStreamOpen;
    private final Duration headersDelay;
    private final Behavior behavior;
    private final HijackHandler hijackHandler;

    private FakeResponse(Builder b) {
        this.status = b.status;
        this.reason = b.reason;
        this.headers = List.copyOf(b.headers);
        this.body = b.body.clone();
        this.chunks = List.copyOf(b.chunks);
        this.keepStreamOpen = b.keepStreamOpen;
        this.headersDelay = b.headersDelay;
        this.behavior = b.behavior;
        this.hijackHandler = b.hijackHandler;
    }

    /** A builder for a {@code 200 OK} with the daemon's default headers and an empty body. */
    public static Builder builder() {
        return new Builder();
    }

    /** A JSON answer: {@code Content-Type: application/json} and the given body. */
    public static FakeResponse json(int status, String json) {
        return builder().status(status).jsonBody(json).build();
    }

    /**
     * A Docker-style error: {@code {"message":"..."}} with the given status, as the daemon writes
     * its errors.
     */
    public static FakeResponse error(int status, String message) {
        return json(
                status,
                "{\"message\":\""
                        + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                        + "\"}");
    }

    /**
     * A response that never comes: the connection stays open and silent until someone closes it.
     */
    public static FakeResponse stall() {
        return builder().behavior(Behavior.STALL).build();
    }

    /** No response at all: the daemon closes the connection as soon as it has read the request. */
    public static FakeResponse dropConnection() {
        return builder().behavior(Behavior.DROP_CONNECTION).build();
    }

    /**
     * A hijacked connection, as {@code POST /containers/{id}/attach} and {@code POST
     * /exec/{id}/start} answer: {@code 101 UPGRADED} when the request asked for {@code Upgrade:
     * tcp}, otherwise {@code 200 OK}; both with {@code Content-Type:
     * application/vnd.docker.raw-stream}. Then {@code handler} owns the raw streams.
     */
    public static FakeResponse hijack(HijackHandler handler) {
        return builder().hijack(handler).build();
    }

    /**
     * The daemon's {@code /events} stream: chunked JSON lines, open until the client or the daemon
     * closes it.
     */
    public static FakeResponse eventStream() {
        return builder()
                .behavior(Behavior.EVENT_STREAM)
                .setHeader("Content-Type", "application/json")
                .build();
    }

    /** A builder that starts as a copy of this response. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** The status code (ignored for hijacks, which pick 101 or 200 from the request). */
    public int status() {
        return status;
    }

    /** The reason phrase written on the status line. */
    public String reason() {
        return reason != null ? reason : StatusReasons.of(status);
    }

    /** The headers, in order, names as given. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return HeaderLists.first(headers, name);
    }

    /** The body (a copy); empty for chunked responses. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The chunks of a streamed body; empty when the body is sent whole. */
    public List<Chunk> chunks() {
        return chunks;
    }

    /** Whether the chunked stream stays open (no terminating chunk) after the last chunk. */
    public boolean keepsStreamOpen() {
        return keepStreamOpen;
    }

    /** How long the daemon waits before writing the head. */
    public Duration headersDelay() {
        return headersDelay;
    }

    /** What the daemon does with the connection. */
    public Behavior behavior() {
        return behavior;
    }

    /**
     * The hijack handler, or {@code null} unless {@link #behavior()} is {@link Behavior#HIJACK}.
     */
    public HijackHandler hijackHandler() {
        return hijackHandler;
    }

    /** Whether the body is sent with {@code Transfer-Encoding: chunked}. */
    public boolean isChunked() {
        return !chunks.isEmpty() || keepStreamOpen;
    }

    @Override
    public String toString() {
        switch (behavior) {
            case RESPOND:
                return status
                        + " "
                        + reason()
                        + (isChunked()
                                ? " ("
                                        + chunks.size()
                                        + " chunks"
                                        + (keepStreamOpen ? ", stays open)" : ")")
                                : " (" + body.length + " bytes)");
            case HIJACK:
                return "hijack(" + hijackHandler + ")";
            default:
                return behavior.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** Builds {@link FakeResponse}s. Not thread-safe. */
    public static final class Builder {
        private int status = 200;
        private String reason;
        private final List<Map.Entry<String, String>> headers;
        private byte[] body = new byte[0];
        private final List<Chunk> chunks;
        private boolean keepStreamOpen;
        private Duration headersDelay = Duration.ZERO;
        private Behavior behavior = Behavior.RESPOND;
        private HijackHandler hijackHandler;

        private Builder() {
            headers = new ArrayList<>(DAEMON_HEADERS);
            chunks = new ArrayList<>();
        }

        private Builder(FakeResponse r) {
            status = r.status;
            reason = r.reason;
            headers = new ArrayList<>(r.headers);
            body = r.body;
            chunks = new ArrayList<>(r.chunks);
            keepStreamOpen = r.keepStreamOpen;
            headersDelay = r.headersDelay;
            behavior = r.behavior;
            hijackHandler = r.hijackHandler;
        }

        /**
         * Sets the status code (100–599); the reason phrase follows unless set with {@link
         * #reason(String)}.
         */
        public Builder status(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be 100..599, was " + status);
            }
            this.status = status;
            return this;
        }

        /** Sets the reason phrase of the status line. */
        public Builder reason(String reason) {
            this.reason = requireNoLineBreak(reason, "reason");
            return this;
        }

        /** Adds a header, keeping any with the same name. */
        public Builder addHeader(String name, String value) {
            headers.add(
                    Map.entry(
                            requireNoLineBreak(name, "header name"),
                            requireNoLineBreak(value, "header value")));
            return this;
        }

        /** Replaces every header named {@code name} (case-insensitive) with one value. */
        public Builder setHeader(String name, String value) {
            removeHeader(name);
            return addHeader(name, value);
        }

        /** Removes every header named {@code name} (case-insensitive). */
        public Builder removeHeader(String name) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            return this;
        }

        /** Sets the body; the daemon writes {@code Content-Length} from it. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** Sets a UTF-8 body. */
        public Builder body(String body) {
            return body(body.getBytes(StandardCharsets.UTF_8));
        }

        /** Sets a JSON body and {@code Content-Type: application/json}. */
        public Builder jsonBody(String json) {
            setHeader("Content-Type", "application/json");
            return body(json);
        }

        /** Appends a chunk of a streamed body, written and flushed after {@code delay}. */
        public Builder addChunk(byte[] bytes, Duration delay) {
            chunks.add(Chunk.of(bytes, delay));
            return this;
        }

        /** Appends a UTF-8 chunk, written and flushed after {@code delay}. */
        public Builder addChunk(String text, Duration delay) {
            return addChunk(text.getBytes(StandardCharsets.UTF_8), delay);
        }

        /**
         * Leaves a chunked stream open after its last chunk, like {@code logs -f} on a quiet
         * container.
         */
        public Builder keepStreamOpen() {
            this.keepStreamOpen = true;
            return this;
        }

        /** Waits this long before writing the head: a slow daemon. */
        public Builder headersDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException(
                        "headersDelay must not be negative, was " + delay);
            }
            this.headersDelay = delay;
            return this;
        }

        /** Hands the connection to {@code handler} after a 101/200 raw-stream head. */
        public Builder hijack(HijackHandler handler) {
            this.hijackHandler = Objects.requireNonNull(handler, "handler");
            this.behavior = Behavior.HIJACK;
            if (header("Content-Type") == null) {
                setHeader("Content-Type", "application/vnd.docker.raw-stream");
            }
            return this;
        }

        /** Sets what the daemon does with the connection; see {@link Behavior}. */
        public Builder behavior(Behavior behavior) {
            if (behavior == Behavior.HIJACK && hijackHandler == null) {
                throw new IllegalArgumentException("use hijack(handler) to script a hijack");
            }
            this.behavior = Objects.requireNonNull(behavior, "behavior");
            return this;
        }

        private String header(String name) {
            return HeaderLists.first(headers, name);
        }

        /** The immutable response. */
        public FakeResponse build() {
            if (body.length > 0 && !chunks.isEmpty()) {
                throw new IllegalStateException(
                        "a response has either a body or chunks, not both; "
                                + "send the body as the first chunk instead");
            }
            return new FakeResponse(this);
        }

        private static String requireNoLineBreak(String s, String what) {
            Objects.requireNonNull(s, what);
            if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(
                        what + " must not contain CR or LF: " + Arrays.toString(s.toCharArray()));
            }
            return s;
        }
    }
}
