package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.Presets;
import dev.dockerproxy.policy.TecnativaEnv;
import org.junit.jupiter.api.Test;

class PermissionMatrixTest {

    @Test
    void everySamplePathIsClassifiedAsTheEndpointItWasMadeFrom() {
        PermissionMatrix m = PermissionMatrix.of(Presets.get("deny-all"));
        assertThat(m.rows())
                .isNotEmpty()
                .allSatisfy(
                        r ->
                                assertThat(r.decision().endpointId())
                                        .as(r.samplePath())
                                        .isEqualTo(r.endpoint().id()));
    }

    @Test
    void samplePathReplacesEveryTemplateVariable() {
        assertThat(PermissionMatrix.samplePath("/containers/{name:.*}/json"))
                .isEqualTo("/containers/x/json");
        assertThat(PermissionMatrix.samplePath("/containers/{name}/checkpoints/{checkpoint}"))
                .isEqualTo("/containers/x/checkpoints/x");
    }

    @Test
    void summaryNamesOnlySectionsWithSomethingAllowed() {
        PermissionMatrix m = PermissionMatrix.of(TecnativaEnv.parse(CliRun.MISSION_ENV).policy());
        assertThat(m.summary())
                .anySatisfy(s -> assertThat(s).startsWith("CONTAINERS ").endsWith("(read)"))
                .noneSatisfy(s -> assertThat(s).startsWith("IMAGES"));
        assertThat(m.dangerousAllowed()).isEmpty();
    }

    @Test
    void dangerousAllowedListsExecAndSensitiveEndpoints() {
        PermissionMatrix m =
                PermissionMatrix.of(
                        TecnativaEnv.parse(
                                        java.util.Map.of(
                                                "CONTAINERS",
                                                "1",
                                                "EXEC",
                                                "1",
                                                "POST",
                                                "1",
                                                "ALLOW_LOGS",
                                                "1"))
                                .policy());
        assertThat(m.dangerousAllowed())
                .contains("containers.exec.create", "exec.start", "containers.logs");
    }
}
