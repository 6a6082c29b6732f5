package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static final ClientIdentity LOCAL = ClientIdentity.LOCAL;

    @Test
    void firstMatchingRuleWins() {
        Policy p =
                Policy.builder()
                        .rule(
                                Rule.deny()
                                        .name("no-inspect")
                                        .endpoints("containers.inspect")
                                        .build())
                        .rule(
                                Rule.allow()
                                        .name("containers")
                                        .sections(Section.CONTAINERS)
                                        .methods("GET")
                                        .build())
                        .build();
        assertThat(p.decide("GET", "/containers/json", LOCAL).allowed()).isTrue();
        Decision d = p.decide("GET", "/containers/abc/json", LOCAL);
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule().name()).isEqualTo("no-inspect");
        assertThat(d.rule().index()).isZero();
    }

    @Test
    void nothingMatchingMeansDenied() {
        Policy p =
                Policy.builder()
                        .rule(Rule.allow().name("ping").endpoints("system.ping").build())
                        .build();
        Decision d = p.decide("GET", "/info", LOCAL);
        assertThat(d.allowed()).isFalse();
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.rule()).isEqualTo(RuleRef.DEFAULT_DENY);
        assertThat(d.message()).contains("default deny").contains("system.info");
    }

    @Test
    void malformedRequestsAre400AndNeverReachRules() {
        Policy allowAll = Policy.builder().rule(Rule.allow().name("all").build()).build();
        Decision d = allowAll.decide("GET", "/containers/%2e%2e/json", LOCAL);
        assertThat(d.status()).isEqualTo(400);
        assertThat(d.allowed()).isFalse();
        assertThat(d.endpointId()).isEqualTo("malformed");
        assertThat(allowAll.decide("get", "/_ping", LOCAL).status()).isEqualTo(400);
    }

    @Test
    void unknownRoutesAreDeniedEvenByAnAllowEverythingRule() {
        Policy allowAll = Policy.builder().rule(Rule.allow().name("all").build()).build();
        Decision d = allowAll.decide("GET", "/libpod/containers/json", LOCAL);
        assertThat(d.allowed()).isFalse();
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.endpointId()).isEqualTo("unknown");
        assertThat(allowAll.decide("GET", "/CONTAINERS/json", LOCAL).message())
                .contains("case-sensitive");
    }

    @Test
    void unknownMethodsAre405() {
        Policy allowAll = Policy.builder().rule(Rule.allow().name("all").build()).build();
        assertThat(allowAll.decide("PROPFIND", "/_ping", LOCAL).status()).isEqualTo(405);
        assertThat(allowAll.decide("TRACE", "/_ping", LOCAL).status()).isEqualTo(405);
        assertThat(allowAll.decide("CONNECT", "/_ping", LOCAL).status()).isEqualTo(405);
    }

    @Test
    void methodNeverAllowedIs405ButAllowedElsewhereIs403() {
        Policy p =
                Policy.builder()
                        .rule(Rule.allow().name("start").endpoints("containers.start").build())
                        .build();
        assertThat(p.decide("POST", "/containers/a/start", LOCAL).allowed()).isTrue();
        assertThat(p.decide("POST", "/containers/create", LOCAL).status()).isEqualTo(403);
        assertThat(p.decide("DELETE", "/containers/a", LOCAL).status()).isEqualTo(405);
        assertThat(p.allowableMethods()).containsExactly("POST");
    }

    @Test
    void pathRegexIsAnchoredAndGrouped() {
        Policy p =
                Policy.builder()
                        .rule(
                                Rule.allow()
                                        .name("web")
                                        .sections(Section.CONTAINERS)
                                        .path("/containers/web/json|/containers/json")
                                        .build())
                        .build();
        assertThat(p.decide("GET", "/containers/json", LOCAL).allowed()).isTrue();
        assertThat(p.decide("GET", "/containers/web/json", LOCAL).allowed()).isTrue();
        // unanchored 'a|b' would match these as substrings
        assertThat(p.decide("GET", "/containers/web/json/json", LOCAL).allowed()).isFalse();
        assertThat(p.decide("GET", "/containers/x/containers/json", LOCAL).allowed()).isFalse();
        assertThat(p.decide("GET", "/containers/webx/json", LOCAL).allowed()).isFalse();
    }

    @Test
    void pathRegexSeesThePathWithoutVersionPrefixAfterDecoding() {
        Policy p =
                Policy.builder()
                        .rule(Rule.allow().name("web").path("/containers/web/json").build())
                        .build();
        assertThat(p.decide("GET", "/v1.41/containers/w%65b/json", LOCAL).allowed()).isTrue();
    }

    @Test
    void invalidRegexIsRejectedWithTheReason() {
        assertThatThrownBy(() -> Rule.allow().path("/containers/("))
                .hasMessageContaining("invalid path regex");
    }

    @Test
    void unknownEndpointIdIsRejected() {
        assertThatThrownBy(() -> Rule.allow().endpoints("containers.lsit"))
                .hasMessageContaining("unknown endpoint id 'containers.lsit'");
    }

    @Test
    void clientMatchersSelectByAddressUidAndTransport() throws Exception {
        Policy p =
                Policy.builder()
                        .rule(
                                Rule.allow()
                                        .name("lan")
                                        .clients(
                                                ClientMatcher.builder()
                                                        .network("10.0.0.0/8")
                                                        .build())
                                        .build())
                        .rule(
                                Rule.allow()
                                        .name("uid")
                                        .clients(ClientMatcher.builder().uid(1000).build())
                                        .build())
                        .build();
        ClientIdentity lan = ClientIdentity.tcp(InetAddress.getByName("10.1.2.3"), 5000);
        ClientIdentity wan = ClientIdentity.tcp(InetAddress.getByName("192.0.2.1"), 5000);
        ClientIdentity v6 = ClientIdentity.tcp(InetAddress.getByName("::1"), 5000);
        assertThat(p.decide("GET", "/_ping", lan).allowed()).isTrue();
        assertThat(p.decide("GET", "/_ping", wan).allowed()).isFalse();
        assertThat(p.decide("GET", "/_ping", v6).allowed()).isFalse();
        assertThat(p.decide("GET", "/_ping", ClientIdentity.unix(1000, 1000, 42)).allowed())
                .isTrue();
        assertThat(p.decide("GET", "/_ping", ClientIdentity.unix(0, 0, 1)).allowed()).isFalse();
        assertThat(ClientMatcher.builder().network("::1/128").build().matches(v6)).isTrue();
        assertThat(ClientMatcher.builder().transport("unix").build().matches(lan)).isFalse();
        assertThatThrownBy(() -> ClientMatcher.builder().network("example.com"))
                .hasMessageContaining("CIDR");
        assertThatThrownBy(() -> ClientMatcher.builder().network("10.0.0.0/33"))
                .hasMessageContaining("prefix");
    }

    @Test
    void decisionMessagesNeverContainRawControlBytesOrHugeEchoes() {
        Policy p = Policy.denyAll();
        Decision d = p.decide("GET", "/containers/" + "a".repeat(5000) + "/json", LOCAL);
        assertThat(d.message().length()).isLessThan(600);
        assertThat(p.decide("GET", "/a\r\nX: y", LOCAL).message())
                .doesNotContain("\r")
                .doesNotContain("\n");
    }

    @Test
    void allowedDecisionCarriesTheForwardTarget() {
        Policy p = Presets.get("read-only");
        Decision d = p.decide("GET", "/v1.41/containers/%61bc/json?size=1", LOCAL);
        assertThat(d.allowed()).isTrue();
        assertThat(d.request().forwardTarget()).isEqualTo("/v1.41/containers/abc/json?size=1");
        assertThat(d.endpoint().id()).isEqualTo("containers.inspect");
    }
}
