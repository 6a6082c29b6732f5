package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A body that is copied from a live stream to HttpCore's framing stream as it arrives: with a flush
 * after every read ({@link StreamCopy}), or, for a daemon's chunked answer, chunk for chunk ({@link
 * ChunkedRelay}). Single use.
 *
 * <p>When the source fails, {@code onSourceFailure} runs before the exception propagates: it must
 * close the destination's socket, because HttpCore's framing stream writes its end marker (the last
 * chunk) on close, which would make a truncated body look complete to the receiver.
 */
public final class StreamingEntity extends AbstractHttpEntity {

    /** How the body's bytes get from the source to the framing stream. */
    @FunctionalInterface
    interface Copy {
        void copy(OutputStream out, long[] counter) throws IOException;
    }

    private final Copy copy;
    private final InputStream source;
    private final long length;
    private final Runnable onSourceFailure;
    private final long[] copied = new long[1];

    /**
     * @param copier the connection's copier (its buffer is reused across the connection's
     *     exchanges)
     */
    public StreamingEntity(
            StreamCopy copier,
            InputStream source,
            long length,
            boolean chunked,
            Runnable onSourceFailure) {
        this(
                (out, counter) -> copier.copy(source, out, counter, length >= 0),
                source,
                length,
                chunked,
                onSourceFailure);
    }

    private StreamingEntity(
            Copy copy, InputStream source, long length, boolean chunked, Runnable onSourceFailure) {
        super((String) null, null, chunked);
        this.copy = copy;
        this.source = source;
        this.length = length;
        this.onSourceFailure = onSourceFailure;
    }

    /**
     * A daemon's chunked body, relayed chunk for chunk ({@link ChunkedRelay}).
     *
     * @param raw the daemon's bytes after the response head
     */
    static StreamingEntity dechunking(InputStream raw, boolean chunked, Runnable onSourceFailure) {
        ChunkedRelay relay = new ChunkedRelay(raw);
        return new StreamingEntity(relay::copy, raw, -1, chunked, onSourceFailure);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            copy.copy(out, copied);
        } catch (StreamCopy.SourceException e) {
            onSourceFailure.run();
            throw e;
        }
    }

    /** Bytes copied by {@link #writeTo}. */
    public long copied() {
        return copied[0];
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public InputStream getContent() {
        return source;
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public void close() {
        // the source belongs to its connection, which closes it
    }
}
