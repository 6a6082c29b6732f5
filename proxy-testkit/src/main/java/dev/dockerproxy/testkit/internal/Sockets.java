package dev.dockerproxy.testkit.internal;

import java.io.IOException;
import java.net.Socket;
import org.newsclub.net.unix.AFSocket;

/** Socket operations that need care across JDKs. */
public final class Sockets {
    private Sockets() {}

    /**
     * Half-closes {@code socket}. On JDK 25, junixsocket 2.10.1's {@code
     * AFUNIXSocket.shutdownOutput()} fails with "Socket is not connected" (java.net.Socket's own
     * state check); its channel's {@code shutdownOutput()} works on every JDK, so UNIX sockets go
     * through the channel.
     */
    public static void shutdownOutput(Socket socket) throws IOException {
        if (socket instanceof AFSocket) {
            ((AFSocket<?>) socket).getChannel().shutdownOutput();
        } else {
            socket.shutdownOutput();
        }
    }
}
