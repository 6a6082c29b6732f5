package dev.dockerproxy.cli;

import static dev.dockerproxy.cli.CliRun.MISSION_ENV;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplainCommandTest {

    @Test
    void containerListIsAllowedByContainersVariableAndExitsZero() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "explain", "GET", "/v1.41/containers/json?all=1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .contains("request:   GET /v1.41/containers/json?all=1")
                .contains("API version 1.41, path /containers/json, query all=1")
                .contains("forwarded: /v1.41/containers/json?all=1")
                .contains("endpoint:  containers.list (section CONTAINERS, access read")
                .contains("decision:  ALLOWED (200)")
                .contains("rule:      CONTAINERS")
                .contains("from env CONTAINERS=1");
    }

    @Test
    void execCreateIsDeniedWithExitThreeAndSaysExecIsNeeded() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "explain", "POST", "/v1.41/containers/abc/exec");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .contains("endpoint:  containers.exec.create (section EXEC, access exec")
                .contains("decision:  DENIED (")
                .contains("EXEC=1");
    }

    @Test
    void malformedTargetIsDeniedWithStatus400() {
        CliRun.Result r =
                CliRun.run(MISSION_ENV, "explain", "GET", "/v1.41/containers/%2e%2e/json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .contains("request:   malformed")
                .contains("decision:  DENIED (400)")
                .contains("rule:      canonical-request");
    }

    @Test
    void presetRulesNameThePresetAsSource() {
        CliRun.Result r =
                CliRun.run(Map.of(), "explain", "--preset", "traefik", "GET", "/containers/json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("from preset traefik").contains("API version - (none)");
    }

    @Test
    void lowerCaseMethodIsJudgedAsUpperCase() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "explain", "get", "/_ping");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("system.ping");
    }

    @Test
    void configErrorExitsTwoNamingTheVariable() {
        CliRun.Result r = CliRun.run(Map.of("POST", "sure"), "explain", "GET", "/_ping");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("configuration error: POST:").contains("use 1 or 0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingTargetIsAUsageError() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "explain", "GET");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("Missing required parameter: 'TARGET'");
    }

    @Test
    void anAllowedWriteThatCanGrantPowerSaysItsBodyIsJudged() {
        CliRun.Result r =
                CliRun.run(
                        Map.of("CONTAINERS", "1", "POST", "1"),
                        "explain",
                        "POST",
                        "/v1.41/containers/create");
        assertThat(r.out())
                .contains(
                        "body:      read and judged before it is forwarded: body[deny-privileged");
        CliRun.Result open =
                CliRun.run(
                        Map.of("CONTAINERS", "1", "POST", "1", "ALLOW_PRIVILEGED", "1"),
                        "explain",
                        "POST",
                        "/v1.41/containers/create");
        assertThat(open.out()).doesNotContain("body:");
        CliRun.Result list =
                CliRun.run(Map.of("CONTAINERS", "1"), "explain", "GET", "/containers/json");
        assertThat(list.out()).doesNotContain("body:");
    }
}
