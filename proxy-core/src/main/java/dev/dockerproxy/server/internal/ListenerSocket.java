package dev.dockerproxy.server.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bound listener: a TCP {@link ServerSocket} or a JDK UNIX-domain {@link ServerSocketChannel}.
 */
public interface ListenerSocket extends Closeable {

    /** Waits for the next client. */
    Socket accept() throws IOException;

    boolean isClosed();

    /** A TCP listener. */
    static ListenerSocket tcp(ServerSocket server) {
        return new ListenerSocket() {
            @Override
            public Socket accept() throws IOException {
                return server.accept();
            }

            @Override
            public boolean isClosed() {
                return server.isClosed();
            }

            @Override
            public void close() throws IOException {
                server.close();
            }
        };
    }

    /** A UNIX listener whose socket file is deleted on close. */
    static ListenerSocket unix(ServerSocketChannel server, Path path) {
        return new ListenerSocket() {
            @Override
            public Socket accept() throws IOException {
                return new ChannelSocket(server.accept());
            }

            @Override
            public boolean isClosed() {
                return !server.isOpen();
            }

            @Override
            public void close() throws IOException {
                if (server.isOpen()) {
                    server.close();
                    Files.deleteIfExists(path);
                }
            }
        };
    }
}
