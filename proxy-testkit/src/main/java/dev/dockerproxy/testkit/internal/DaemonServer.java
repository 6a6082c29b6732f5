package dev.dockerproxy.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Accepts connections on a UNIX socket or TCP port and serves each on its own daemon thread.
 * Platform threads on purpose: a connection blocked in a native UNIX-socket read would pin a
 * virtual thread's carrier.
 */
public final class DaemonServer implements AutoCloseable {
    private final ServerSocket serverSocket;
    private final Path socketFile;
    private final Path tempDir;
    private final DaemonCore core;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private DaemonServer(
            ServerSocket serverSocket, Path socketFile, Path tempDir, DaemonCore core) {
        this.serverSocket = serverSocket;
        this.socketFile = socketFile;
        this.tempDir = tempDir;
        this.core = core;
        this.acceptor = new Thread(this::acceptLoop, "fake-docker-daemon-accept " + describe());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code socketFile}, or on a fresh {@code /tmp/fddXXXX/docker.sock} when it is
     * {@code null} (kept short: UNIX socket paths are limited to about 100 bytes).
     */
    public static DaemonServer onUnixSocket(Path socketFile, DaemonCore core) throws IOException {
        Path tempDir = null;
        if (socketFile == null) {
            tempDir = Files.createTempDirectory(Path.of("/tmp"), "fdd");
            socketFile = tempDir.resolve("docker.sock");
        }
        if (socketFile.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new IOException(
                    "UNIX socket path is "
                            + socketFile.toString().length()
                            + " bytes, more than the ~100 the OS allows: "
                            + socketFile
                            + "; choose a shorter path (e.g. under /tmp)");
        }
        if (Files.exists(socketFile)) {
            throw new IOException(
                    socketFile
                            + " already exists; delete it or choose another path "
                            + "(the fake daemon never takes over an existing socket)");
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(socketFile.toFile()));
        return new DaemonServer(server, socketFile, tempDir, core);
    }

    /** Listens on {@code host:port} ({@code port} 0 picks a free one). */
    public static DaemonServer onTcp(String host, int port, DaemonCore core) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
        return new DaemonServer(server, null, null, core);
    }

    /** The UNIX socket file, or {@code null} on TCP. */
    public Path socketFile() {
        return socketFile;
    }

    /** The bound TCP port, or -1 on a UNIX socket. */
    public int port() {
        return socketFile == null ? serverSocket.getLocalPort() : -1;
    }

    /** The bound TCP host address, or {@code null} on a UNIX socket. */
    public InetAddress address() {
        return socketFile == null ? serverSocket.getInetAddress() : null;
    }

    /** How many connections were accepted so far. */
    public int connectionCount() {
        return connectionCount.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    core.error("accept failed: " + e);
                }
                return;
            }
            int index = connectionCount.getAndIncrement();
            connections.add(socket);
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    new ConnectionHandler(socket, index, core).run();
                                } finally {
                                    connections.remove(socket);
                                    threads.remove(Thread.currentThread());
                                }
                            },
                            "fake-docker-daemon-conn-" + index);
            t.setDaemon(true);
            threads.add(t);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            t.start();
        }
    }

    /**
     * Stops accepting, ends event streams, closes every connection, removes the socket file.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(serverSocket);
        core.events().close();
        for (Socket s : connections) {
            closeQuietly(s);
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        joinQuietly(acceptor);
        for (Thread t : threads) {
            joinQuietly(t);
        }
        try {
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
            if (tempDir != null) {
                Files.deleteIfExists(tempDir);
            }
        } catch (IOException e) {
            core.error("could not delete " + socketFile + ": " + e);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private String describe() {
        return socketFile != null
                ? "unix://" + socketFile
                : "tcp://" + serverSocket.getLocalSocketAddress();
    }
}
