package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A body that is copied from a live stream to HttpCore's framing stream with a flush after every
 * read ({@link StreamCopy}). Single use.
 *
 * <p>When the source fails, {@code onSourceFailure} runs before the exception propagates: it must
 * close the destination's socket, because HttpCore's framing stream writes its end marker (the last
 * chunk) on close, which would make a truncated body look complete to the receiver.
 */
public final class StreamingEntity extends AbstractHttpEntity {

    private final StreamCopy copier;
    private final InputStream source;
    private final long length;
    private final Runnable onSourceFailure;
    private final long[] copied = new long[1];

    /** @param copier the connection's copier (its buffer is reused across the connection's exchanges) */
    public StreamingEntity(StreamCopy copier, InputStream source, long length, boolean chunked,
                           Runnable onSourceFailure) {
        super((String) null, null, chunked);
        this.copier = copier;
        this.source = source;
        this.length = length;
        this.onSourceFailure = onSourceFailure;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            copier.copy(source, out, copied, length >= 0);
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
