package dev.dockerproxy.cli;

import static dev.dockerproxy.cli.CliRun.MISSION_ENV;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerproxy.policy.EndpointCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir Path dir;

    @Test
    void tableGroupsEndpointsBySectionWithTheirDecisionAndRule() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "check");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .startsWith("configuration OK")
                .contains("policy: env (environment variables")
                .containsPattern("(?m)^CONTAINERS  \\(\\d+/\\d+ allowed\\)$")
                .containsPattern(
                        "(?m)^  allowed GET +/containers/json +containers\\.list +read +CONTAINERS "
                                + "\\(env CONTAINERS=1\\)$")
                .containsPattern(
                        "(?m)^  denied +POST +/containers/\\{name:\\.\\*}/exec +containers\\.exec\\.create")
                .containsPattern(
                        "(?m)^  denied +GET +/containers/\\{name:\\.\\*}/logs +containers\\.logs "
                                + "+read-sensitive +ALLOW_LOGS")
                .containsPattern("(?m)^SECRETS  \\(0/\\d+ allowed\\)$")
                .contains("warning: CONTAINERS=1 no longer allows container logs");
    }

    @Test
    void jsonListsEverySectionAndEndpoint() throws IOException {
        CliRun.Result r = CliRun.run(MISSION_ENV, "check", "--format", "json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("valid").asBoolean()).isTrue();
        assertThat(root.at("/policy/origin").asText()).isEqualTo("environment variables");
        long endpoints =
                EndpointCatalog.STANDARD.endpoints().stream()
                        .filter(e -> !e.method().equals("OPTIONS"))
                        .count();
        assertThat(root.get("total").asLong()).isEqualTo(endpoints);
        JsonNode list = null;
        for (JsonNode s : root.get("sections")) {
            for (JsonNode e : s.get("endpoints")) {
                if (e.get("id").asText().equals("containers.list")) {
                    list = e;
                }
            }
        }
        assertThat(list).isNotNull();
        assertThat(list.get("allowed").asBoolean()).isTrue();
        assertThat(list.get("source").asText()).isEqualTo("env CONTAINERS=1");
        assertThat(root.get("warnings").toString())
                .contains("set ALLOW_LOGS=1")
                .doesNotContain("EXEC is required");
    }

    @Test
    void policyFileErrorExitsTwoNamingFileLineAndColumn() throws IOException {
        Path file =
                Files.writeString(
                        dir.resolve("policy.yaml"),
                        "version: 1\nrules:\n  - action: allow\n    sections: [NOPE]\n");
        CliRun.Result r = CliRun.run(Map.of(), "check", "--policy", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err())
                .containsPattern(
                        "configuration error: "
                                + java.util.regex.Pattern.quote(file.toString())
                                + ":4:\\d+: ");
    }

    @Test
    void unknownFormatIsAUsageError() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "check", "--format", "xml");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("--format");
    }

    @Test
    void presetNoteSaysTheEnvironmentRulesAreReplaced() {
        CliRun.Result r = CliRun.run(MISSION_ENV, "check", "--preset", "read-only");
        assertThat(r.out())
                .contains(
                        "note: the rules come from --preset read-only; they replace the Tecnativa "
                                + "environment variables (ignored: ");
    }

    @Test
    void minApiVersionComesFromTheFlagOverTheFileOverTheEnvironment() throws IOException {
        assertThat(CliRun.run(MISSION_ENV, "check").out()).contains("API versions from 1.24");
        assertThat(CliRun.run(Map.of("CONTAINERS", "1", "MIN_API_VERSION", "1.30"), "check").out())
                .contains("API versions from 1.30");
        Path file =
                Files.writeString(
                        dir.resolve("p.yaml"),
                        "version: 1\nmin-api-version: 1.35\nrules:\n" + "  - preset: read-only\n");
        assertThat(
                        CliRun.run(
                                        Map.of("MIN_API_VERSION", "1.30"),
                                        "check",
                                        "--policy",
                                        file.toString())
                                .out())
                .contains("API versions from 1.35");
        assertThat(
                        CliRun.run(
                                        Map.of("MIN_API_VERSION", "1.30"),
                                        "check",
                                        "--policy",
                                        file.toString(),
                                        "--min-api-version",
                                        "1.41")
                                .out())
                .contains("API versions from 1.41");
        CliRun.Result bad = CliRun.run(MISSION_ENV, "check", "--min-api-version", "new");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(bad.err()).contains("--min-api-version").contains("MAJOR.MINOR");
    }

    @Test
    void rulesWithoutBodyChecksAreNamedWhateverBuiltThem() throws IOException {
        CliRun.Result env =
                CliRun.run(
                        Map.of("CONTAINERS", "1", "POST", "1", "ALLOW_PRIVILEGED", "1"), "check");
        assertThat(env.out())
                .contains("warning: rule 'CONTAINERS' (env CONTAINERS=1) allows containers.create")
                .contains("with no body check (unrestricted)");
        Path file =
                Files.writeString(
                        dir.resolve("u.yaml"),
                        "version: 1\nrules:\n  - name: ci\n    action: allow\n"
                                + "    endpoints: [containers.create, system.ping]\n    body: unrestricted\n");
        CliRun.Result r =
                CliRun.run(Map.of(), "check", "--policy", file.toString(), "--format", "json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("policy").path("unrestrictedRules").get(0).asText()).isEqualTo("ci");
        assertThat(json.path("warnings").get(0).asText())
                .contains("rule 'ci'")
                .contains("containers.create");
        assertThat(CliRun.run(MISSION_ENV, "check").out()).doesNotContain("unrestricted");
    }
}
