package dev.dockerproxy.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw bidirectional pipe of a hijacked connection (attach, exec start, session, grpc). Two copy
 * loops; when one side ends its stream, the other side's output is shut down (half-close), so the
 * daemon sees the client's stdin EOF while output still flows, and vice versa. On an error both
 * sockets are closed, which ends the other loop. Closing the sockets is left to the caller, once.
 */
public final class Tunnel {

    private final Socket clientSocket;
    private final Socket daemonSocket;
    private final Runnable closeBoth;
    private final AtomicLong clientToDaemon = new AtomicLong();
    private final AtomicLong daemonToClient = new AtomicLong();

    /** {@code closeBoth} closes both sockets (each exactly once, by its owner). */
    public Tunnel(Socket clientSocket, Socket daemonSocket, Runnable closeBoth) {
        this.clientSocket = clientSocket;
        this.daemonSocket = daemonSocket;
        this.closeBoth = closeBoth;
    }

    /**
     * Pipes until both directions ended. The client-to-daemon loop runs on {@code executor}, the
     * daemon-to-client loop on the calling thread.
     *
     * @param fromClient client bytes, starting with those already buffered after the request
     * @param fromDaemon daemon bytes, starting with those that came with the response head
     */
    public void run(
            Executor executor,
            InputStream fromClient,
            OutputStream toClient,
            InputStream fromDaemon,
            OutputStream toDaemon)
            throws InterruptedException {
        CountDownLatch upDone = new CountDownLatch(1);
        try {
            executor.execute(
                    () -> {
                        try {
                            pipe(fromClient, toDaemon, daemonSocket, clientToDaemon);
                        } finally {
                            upDone.countDown();
                        }
                    });
        } catch (RuntimeException e) {
            closeBoth.run();
            return;
        }
        pipe(fromDaemon, toClient, clientSocket, daemonToClient);
        upDone.await();
    }

    private void pipe(InputStream in, OutputStream out, Socket outSocket, AtomicLong counter) {
        byte[] buf = new byte[StreamCopy.STREAM_BUFFER_SIZE];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    counter.addAndGet(n);
                    buf = StreamCopy.adapt(buf, n, true);
                }
            }
            outSocket.shutdownOutput();
        } catch (IOException e) {
            closeBoth.run();
        }
    }

    public long clientToDaemon() {
        return clientToDaemon.get();
    }

    public long daemonToClient() {
        return daemonToClient.get();
    }
}
