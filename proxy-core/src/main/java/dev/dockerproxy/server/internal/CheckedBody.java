package dev.dockerproxy.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * A request body read whole, bounded, so the policy can check it (create and exec-create bodies
 * under body constraints) and the proxy can forward exactly the bytes that were checked.
 *
 * @param bytes the body, at most {@code limit + 1} bytes (one more than the limit marks "too big")
 * @param complete whether the whole body was read (false when it exceeded the limit: the rest is
 *     still unread and the connection must close after the answer)
 */
record CheckedBody(byte[] bytes, boolean complete) {

    /** Reads the body of {@code request}, answering {@code Expect: 100-continue} first. */
    static CheckedBody read(
            ProxyServerConnection server, ProxyRequest request, RequestFraming framing, int limit)
            throws IOException, HttpException {
        if (!framing.hasBody()) {
            return new CheckedBody(new byte[0], true);
        }
        Header expect = request.getFirstHeader("Expect");
        if (expect != null && "100-continue".equalsIgnoreCase(expect.getValue().trim())) {
            server.sendResponseHeader(new BasicClassicHttpResponse(100, "Continue"));
            server.flush();
        }
        server.receiveRequestEntity(request);
        InputStream in = request.getEntity().getContent();
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(
                        (int) Math.min(limit + 1L, framing.chunked() ? 8192 : framing.length()));
        byte[] buf = new byte[8192];
        long room = limit + 1L;
        while (room > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, room));
            if (n < 0) {
                return new CheckedBody(out.toByteArray(), true);
            }
            out.write(buf, 0, n);
            room -= n;
        }
        return new CheckedBody(out.toByteArray(), false);
    }
}
