package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admission through the policy: the version floor, secure defaults for every way of building rules,
 * opting out. Policy files get the same defaults: {@code PolicyFileConstraintsTest} in {@code
 * proxy-policy-file}.
 */
class AdmissionPolicyTest {

    private static final byte[] PRIVILEGED =
            "{\"Image\":\"busybox\",\"HostConfig\":{\"Privileged\":true}}"
                    .getBytes(StandardCharsets.UTF_8);

    private static Decision createBody(Policy p, byte[] body) {
        Decision head = p.decide("POST", "/v1.41/containers/create", ClientIdentity.LOCAL);
        assertThat(head.allowed()).as(head.message()).isTrue();
        return p.decideBody(head, body);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1.23/containers/abc/start",
                "/v1.12/containers/create",
                "/v1.0/_ping",
                "/v1.9/info"
            })
    void versionsBelowTheFloorAreDenied(String target) {
        Policy env =
                TecnativaEnv.parse(Map.of("CONTAINERS", "1", "POST", "1", "ALLOW_START", "1"))
                        .policy();
        Decision d = env.decide("POST", target, ClientIdentity.LOCAL);
        assertThat(d.allowed()).isFalse();
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.rule()).isEqualTo(RuleRef.API_VERSION_FLOOR);
        assertThat(d.message())
                .contains("older than the oldest this proxy accepts (1.24)")
                .contains("MIN_API_VERSION=");
    }

    @Test
    void theFloorIsConfigurableAndUnversionedRequestsPass() {
        Policy env =
                TecnativaEnv.parse(Map.of("CONTAINERS", "1", "MIN_API_VERSION", "1.40")).policy();
        assertThat(env.minApiVersion()).isEqualTo("1.40");
        assertThat(env.decide("GET", "/v1.39/containers/json", ClientIdentity.LOCAL).allowed())
                .isFalse();
        assertThat(env.decide("GET", "/v1.40/containers/json", ClientIdentity.LOCAL).allowed())
                .isTrue();
        assertThat(env.decide("GET", "/v1.100/containers/json", ClientIdentity.LOCAL).allowed())
                .isTrue();
        assertThat(env.decide("GET", "/containers/json", ClientIdentity.LOCAL).allowed()).isTrue();
        Policy low =
                Policy.builder()
                        .minApiVersion("1.12")
                        .rule(Rule.allow().endpoints("system.ping").build())
                        .build();
        assertThat(low.decide("GET", "/v1.12/_ping", ClientIdentity.LOCAL).allowed()).isTrue();
        assertThat(low.decide("GET", "/v1.11/_ping", ClientIdentity.LOCAL).message())
                .contains("min-api-version");
        assertThatThrownBy(() -> Policy.builder().minApiVersion("v1"))
                .hasMessageContaining("MAJOR.MINOR");
        assertThatThrownBy(() -> TecnativaEnv.parse(Map.of("MIN_API_VERSION", "latest")))
                .hasMessageContaining("MIN_API_VERSION");
    }

    @Test
    void everyWayOfBuildingARuleGetsTheDefaultConstraints() {
        assertThat(createBody(Presets.get("watchtower"), PRIVILEGED).allowed()).isFalse();
        Policy code =
                Policy.builder().rule(Rule.allow().endpoints("containers.create").build()).build();
        assertThat(createBody(code, PRIVILEGED).allowed()).isFalse();
        Policy env = TecnativaEnv.parse(Map.of("CONTAINERS", "1", "POST", "1")).policy();
        assertThat(createBody(env, PRIVILEGED).message()).contains("ALLOW_PRIVILEGED=1");
        assertThat(code.rules().get(0).bodyConstraints()).isEqualTo(BodyConstraints.DEFAULT);
    }

    @Test
    void optingOutIsExplicitAndNamed() {
        Policy code =
                Policy.builder()
                        .rule(Rule.allow().sections(Section.CONTAINERS).unrestrictedBody().build())
                        .build();
        assertThat(createBody(code, PRIVILEGED).allowed()).isTrue();
        assertThat(code.unrestrictedRules().values().iterator().next())
                .contains("containers.create", "containers.update")
                .doesNotContain("containers.start");
        Policy env =
                TecnativaEnv.parse(
                                Map.of(
                                        "CONTAINERS",
                                        "1",
                                        "VOLUMES",
                                        "1",
                                        "POST",
                                        "1",
                                        "ALLOW_PRIVILEGED",
                                        "1"))
                        .policy();
        assertThat(createBody(env, PRIVILEGED).allowed()).isTrue();
        assertThat(env.unrestrictedRules().keySet())
                .extracting(Rule::name)
                .contains("CONTAINERS", "VOLUMES");
        assertThat(Presets.get("read-only").unrestrictedRules()).isEmpty();
        // a start body is refused under any rule, unrestricted ones too
        Decision start = code.decide("POST", "/containers/x/start", ClientIdentity.LOCAL);
        assertThat(
                        code.decideBody(
                                        start,
                                        "{\"Privileged\":true}".getBytes(StandardCharsets.UTF_8))
                                .allowed())
                .isFalse();
    }

    @Test
    void formBodiesAreRefusedOnJudgedEndpointsOnly() {
        Policy p =
                Policy.builder()
                        .rule(Rule.allow().sections(Section.BUILD, Section.CONTAINERS).build())
                        .build();
        Decision build = p.decide("POST", "/build?t=x", ClientIdentity.LOCAL);
        assertThat(
                        p.decideContentType(build, List.of("application/x-www-form-urlencoded"))
                                .message())
                .contains("HTML form");
        assertThat(p.decideContentType(build, List.of("application/x-tar"))).isSameAs(build);
        Decision list = p.decide("GET", "/containers/json", ClientIdentity.LOCAL);
        assertThat(p.decideContentType(list, List.of("application/x-www-form-urlencoded")))
                .isSameAs(list);
    }
}
