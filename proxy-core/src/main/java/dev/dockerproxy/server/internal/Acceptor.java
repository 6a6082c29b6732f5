package dev.dockerproxy.server.internal;

import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.server.ListenAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts clients on one listener and hands each to a {@link ConnectionHandler} task. Beyond the
 * connection limit, a client gets a 503 in Docker's error shape and is closed.
 */
public final class Acceptor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);

    private final ServerContext ctx;
    private final ListenerSocket server;
    private final ListenAddress address;
    private final ConnectionRegistry registry;

    public Acceptor(
            ServerContext ctx,
            ListenerSocket server,
            ListenAddress address,
            ConnectionRegistry registry) {
        this.ctx = ctx;
        this.server = server;
        this.address = address;
        this.registry = registry;
    }

    @Override
    public void run() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                LOG.warn("accept failed on {}: {}", address, e.toString());
                pause();
                continue;
            }
            ClientIdentity client;
            try {
                client = identify(socket);
            } catch (RuntimeException e) {
                LOG.debug("dropping a client that went away during accept: {}", e.toString());
                closeQuietly(socket);
                continue;
            }
            if (!registry.tryAdmit()) {
                reject(socket, client);
                continue;
            }
            ConnectionHandler[] self = new ConnectionHandler[1];
            self[0] =
                    new ConnectionHandler(
                            ctx, socket, client, address, () -> registry.release(self[0]));
            registry.add(self[0]);
            try {
                ctx.executor().execute(self[0]);
            } catch (RejectedExecutionException e) {
                self[0].abort();
                registry.release(self[0]);
            }
        }
    }

    private void reject(Socket socket, ClientIdentity client) {
        int limit = ctx.config().maxConnections();
        String reason = "connection limit of " + limit + " reached";
        ctx.notify(l -> l.clientError(client, 503, reason));
        byte[] body =
                Json.errorBody(
                                "docker-socket-proxy: "
                                        + reason
                                        + "; retry later or raise the proxy's maxConnections")
                        .getBytes(StandardCharsets.UTF_8);
        String head =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length
                        + "\r\nConnection: close\r\n\r\n";
        try (Socket s = socket) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            s.shutdownOutput();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    static ClientIdentity identify(Socket socket) {
        if (socket instanceof ChannelSocket) {
            try {
                UnixDomainPrincipal p =
                        ((ChannelSocket) socket)
                                .channel()
                                .getOption(ExtendedSocketOptions.SO_PEERCRED);
                return ClientIdentity.unix(
                        PrincipalIds.id(p.user()), PrincipalIds.id(p.group()), -1);
            } catch (IOException | RuntimeException e) {
                return ClientIdentity.unix(-1, -1, -1);
            }
        }
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // not fatal
        }
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        return ClientIdentity.tcp(remote.getAddress(), remote.getPort());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
