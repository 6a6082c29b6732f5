package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A body that is copied from a live stream to HttpCore's framing stream with a flush after every
 * read ({@link StreamCopy}). Single use.
 */
public final class StreamingEntity extends AbstractHttpEntity {

    private final InputStream source;
    private final long length;
    private long copied;

    public StreamingEntity(InputStream source, long length, boolean chunked) {
        super((String) null, null, chunked);
        this.source = source;
        this.length = length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        copied = StreamCopy.copy(source, out);
    }

    /** Bytes copied by {@link #writeTo}. */
    public long copied() {
        return copied;
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
