package dev.dockerproxy.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The raw streams of a hijacked connection, handed to a {@link HijackHandler}.
 *
 * <p>{@link #input()} starts with any bytes the client sent right after its request head (they are
 * not lost). Not thread-safe beyond what sockets are: one thread may read while another writes.
 */
public interface HijackedConnection {

    /** The request that was hijacked. */
    RecordedRequest request();

    /** Bytes from the client (stdin), until the client half-closes or closes. */
    InputStream input();

    /** Bytes to the client (stdout/stderr, raw or multiplexed). */
    OutputStream output();

    /** Half-closes: the client sees end of stream while it may still send. */
    void shutdownOutput() throws IOException;
}
