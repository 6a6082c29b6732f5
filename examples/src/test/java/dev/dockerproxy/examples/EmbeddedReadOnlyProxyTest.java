package dev.dockerproxy.examples;

import dev.dockerproxy.server.UpstreamAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the example against a tiny fake daemon on a temp UNIX socket. */
class EmbeddedReadOnlyProxyTest {

    private Path dir;
    private Path socket;
    private ServerSocketChannel daemon;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeDaemon() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "dspx");
        socket = dir.resolve("d.sock");
        daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        daemon.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::serve, "fake-daemon");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stopFakeDaemon() throws IOException {
        daemon.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    private void serve() {
        while (daemon.isOpen()) {
            try (SocketChannel ch = daemon.accept()) {
                InputStream in = Channels.newInputStream(ch);
                OutputStream out = Channels.newOutputStream(ch);
                String head;
                while ((head = readHead(in)) != null) {
                    String line = head.substring(0, head.indexOf("\r\n"));
                    requestLines.add(line);
                    String body = line.contains("/_ping") ? "OK" : "[{\"Id\":\"abc\"}]";
                    out.write(("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: "
                            + (body.equals("OK") ? "text/plain" : "application/json") + "\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                String h = b.toString();
                int cl = h.toLowerCase(Locale.ROOT).indexOf("content-length:");
                if (cl >= 0) {
                    int n = Integer.parseInt(h.substring(cl + 15, h.indexOf("\r\n", cl)).trim());
                    in.readNBytes(n);
                }
                return h;
            }
        }
        return null;
    }

    @Test
    void readsPassAndTheWriteIsDeniedWithoutReachingTheDaemon() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        EmbeddedReadOnlyProxy.Result r = EmbeddedReadOnlyProxy.run(UpstreamAddress.unix(socket),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r.pingStatus()).isEqualTo(200);
        assertThat(r.pingBody()).isEqualTo("OK");
        assertThat(r.listStatus()).isEqualTo(200);
        assertThat(r.listBody()).isEqualTo("[{\"Id\":\"abc\"}]");
        assertThat(r.createStatus()).isIn(403, 405);
        assertThat(r.createBody()).startsWith("{\"message\":\"");
        assertThat(requestLines).containsExactly("GET /_ping HTTP/1.1", "GET /v1.41/containers/json HTTP/1.1");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("read-only proxy for unix://" + socket)
                .contains("POST /v1.41/containers/create -> " + r.createStatus());
    }
}
