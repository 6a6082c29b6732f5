package dev.dockerproxy.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 section 7.6.1: which headers the proxy never forwards, in any letter case. */
class HopByHopTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Connection",
                "connection",
                "CONNECTION",
                "Keep-Alive",
                "keep-alive",
                "TE",
                "te",
                "Te",
                "Trailer",
                "TRAILER",
                "Transfer-Encoding",
                "transfer-ENCODING",
                "Upgrade",
                "upgrade",
                "Content-Length",
                "content-length",
                "Host",
                "host",
                "Proxy-Authorization",
                "proxy-connection",
                "PROXY-A",
                "Proxy-",
                "Proxy-Authenticate"
            })
    void alwaysHopByHopHeadersAreRecognisedInAnyCase(String name) {
        assertThat(HopByHop.isHopByHop(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Te-X",
                "Tea",
                "Trailers",
                "Upgrades",
                "Connections",
                "Keep-Alive2",
                "Content-Type",
                "Content-Lengthy",
                "X-Proxy-Foo",
                "Proxy",
                "Api-Version",
                "Ostype",
                "Docker-Experimental",
                "",
                "T",
                "Transfer-Encodings"
            })
    void endToEndHeadersAreNot(String name) {
        assertThat(HopByHop.isHopByHop(name)).isFalse();
    }

    @Test
    void copyEndToEndDropsHopByHopHeadersAndThoseConnectionNames() {
        BasicClassicHttpRequest from = new BasicClassicHttpRequest("GET", "/x");
        from.addHeader("Api-Version", "1.41");
        from.addHeader("Connection", "close, X-Secret");
        from.addHeader("x-secret", "1");
        from.addHeader("Keep-Alive", "timeout=5");
        from.addHeader("Proxy-Authorization", "Basic x");
        from.addHeader("Host", "docker");
        from.addHeader("Content-Type", "application/json");
        BasicClassicHttpRequest to = new BasicClassicHttpRequest("GET", "/x");
        HopByHop.copyEndToEnd(from, to, Set.of("host"));
        assertThat(Arrays.stream(to.getHeaders()).map(Header::getName))
                .containsExactly("Api-Version", "Content-Type");
    }

    @Test
    void everyNameConnectionListsIsDroppedCloseIncluded() {
        BasicClassicHttpRequest from = new BasicClassicHttpRequest("GET", "/x");
        from.addHeader("Connection", "keep-alive, close");
        from.addHeader("Close", "a reserved name, named by the Connection header");
        from.addHeader("X-A", "1");
        BasicClassicHttpRequest to = new BasicClassicHttpRequest("GET", "/x");
        HopByHop.copyEndToEnd(from, to, Set.of());
        assertThat(Arrays.stream(to.getHeaders()).map(Header::getName)).containsExactly("X-A");
    }

    @Test
    void aLoneCloseOrKeepAliveTokenStillDropsTheHeaderItNames() {
        for (String value : new String[] {"close", "CLOSE", "keep-alive", "Keep-Alive"}) {
            BasicClassicHttpRequest from = new BasicClassicHttpRequest("GET", "/x");
            from.addHeader("Connection", value);
            from.addHeader("Close", "named when the token is close");
            from.addHeader("Keep-Alive", "timeout=5");
            from.addHeader("X-A", "1");
            BasicClassicHttpRequest to = new BasicClassicHttpRequest("GET", "/x");
            HopByHop.copyEndToEnd(from, to, Set.of());
            assertThat(Arrays.stream(to.getHeaders()).map(Header::getName))
                    .as(value)
                    .containsExactlyElementsOf(
                            value.equalsIgnoreCase("close")
                                    ? List.of("X-A")
                                    : List.of("Close", "X-A"));
            assertThat(HopByHop.hasConnectionToken(from, "close"))
                    .isEqualTo(value.equalsIgnoreCase("close"));
            assertThat(HopByHop.hasConnectionToken(from, "keep-alive"))
                    .isEqualTo(value.equalsIgnoreCase("keep-alive"));
        }
    }

    @Test
    void headersAlreadyOnTheTargetAreKeptEvenWhenConnectionNamesThem() {
        BasicClassicHttpRequest from = new BasicClassicHttpRequest("GET", "/x");
        from.addHeader("Connection", "host, x-a");
        from.addHeader("Host", "evil");
        from.addHeader("X-A", "1");
        from.addHeader("X-B", "2");
        BasicClassicHttpRequest to = new BasicClassicHttpRequest("GET", "/x");
        to.addHeader("Host", "docker");
        HopByHop.copyEndToEnd(from, to, Set.of());
        assertThat(Arrays.stream(to.getHeaders()).map(h -> h.getName() + "=" + h.getValue()))
                .containsExactly("Host=docker", "X-B=2");
    }

    @Test
    void namesListedInASecondConnectionHeaderAreDroppedToo() {
        // HttpCore's MessageSupport.hopByHopConnectionSpecific reads only the first Connection
        // header
        BasicClassicHttpRequest from = new BasicClassicHttpRequest("GET", "/x");
        from.addHeader("Connection", "x-a");
        from.addHeader("Connection", "X-B");
        from.addHeader("X-A", "1");
        from.addHeader("x-b", "2");
        from.addHeader("Trailer", "X-C");
        from.addHeader("Proxy-Connection", "keep-alive");
        from.addHeader("X-C", "3");
        BasicClassicHttpRequest to = new BasicClassicHttpRequest("GET", "/x");
        HopByHop.copyEndToEnd(from, to, Set.of());
        assertThat(Arrays.stream(to.getHeaders()).map(Header::getName)).containsExactly("X-C");
    }

    @Test
    void withoutConnectionHeaderThereAreNoConnectionTokens() {
        assertThat(HopByHop.connectionTokens(new BasicClassicHttpRequest("GET", "/"))).isEmpty();
        BasicClassicHttpRequest r = new BasicClassicHttpRequest("GET", "/");
        r.addHeader("connection", " Keep-Alive ,Upgrade,");
        assertThat(HopByHop.connectionTokens(r)).containsExactlyInAnyOrder("Keep-Alive", "Upgrade");
        assertThat(HopByHop.hasConnectionToken(r, "keep-alive")).isTrue();
        assertThat(HopByHop.hasConnectionToken(r, "close")).isFalse();
        r.addHeader("Connection", "x-foo,  CLOSE ");
        assertThat(HopByHop.hasConnectionToken(r, "close")).isTrue();
        assertThat(HopByHop.hasConnectionToken(new BasicClassicHttpRequest("GET", "/"), "close"))
                .isFalse();
        BasicClassicHttpRequest closeish = new BasicClassicHttpRequest("GET", "/");
        closeish.addHeader("Connection", "closed, enclose");
        assertThat(HopByHop.hasConnectionToken(closeish, "close"))
                .as("whole tokens only")
                .isFalse();
    }
}
