package dev.dockerproxy.testkit.wiremock;

import dev.dockerproxy.testkit.Dispatcher;
import dev.dockerproxy.testkit.FakeResponse;
import dev.dockerproxy.testkit.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Relays each request to a WireMock HTTP endpoint and WireMock's answer back. Thread-safe. */
final class WireMockRelay implements Dispatcher {
    private static final Set<String> NOT_RELAYED_REQUEST =
            Set.of(
                    "host",
                    "connection",
                    "content-length",
                    "expect",
                    "upgrade",
                    "transfer-encoding",
                    "keep-alive",
                    "te",
                    "trailer",
                    "http2-settings");
    private static final Set<String> NOT_RELAYED_RESPONSE =
            Set.of("connection", "content-length", "transfer-encoding", "keep-alive", ":status");

    private final URI baseUrl;
    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    WireMockRelay(URI baseUrl) {
        String s = baseUrl.toString();
        this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    @Override
    public FakeResponse dispatch(RecordedRequest request) throws InterruptedException {
        if ("tcp".equalsIgnoreCase(request.header("Upgrade"))) {
            return FakeResponse.error(
                    501,
                    "the WireMock bridge cannot hijack connections ("
                            + request.method()
                            + " "
                            + request.path()
                            + "); script attach/exec with FakeDockerDaemon and a HijackHandler instead");
        }
        String target = request.target().startsWith("/") ? request.target() : "/" + request.path();
        HttpRequest.Builder out =
                HttpRequest.newBuilder(URI.create(baseUrl + target))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                request.method(),
                                request.body().length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, String> h : request.headers()) {
            if (!NOT_RELAYED_REQUEST.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.header(h.getKey(), h.getValue());
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return FakeResponse.error(
                    502, "the WireMock bridge could not reach WireMock at " + baseUrl + ": " + e);
        }
        FakeResponse.Builder back = FakeResponse.builder().status(answer.statusCode());
        for (Map.Entry<String, String> daemonHeader : FakeResponse.builder().build().headers()) {
            back.removeHeader(daemonHeader.getKey()); // only what WireMock sent
        }
        for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
            if (!NOT_RELAYED_RESPONSE.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : h.getValue()) {
                    back.addHeader(h.getKey(), value);
                }
            }
        }
        if (!request.method().equals("HEAD")) {
            back.body(answer.body());
        }
        return back.build();
    }

    /** WireMock answers everything; an unstubbed request is WireMock's 404, not the daemon's. */
    @Override
    public boolean isUnmatched(FakeResponse response) {
        return false;
    }

    @Override
    public String toString() {
        return "WireMockRelay[" + baseUrl + "]";
    }
}
