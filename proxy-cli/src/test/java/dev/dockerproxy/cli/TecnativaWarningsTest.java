package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TecnativaWarningsTest {

    private static ResolvedConfig config(Map<String, String> env, String... args) {
        ConfigOptions flags = new ConfigOptions();
        new CommandLine(flags).parseArgs(args);
        return ConfigResolver.resolve(flags, env);
    }

    @Test
    void containersWithPostWarnsThatExecNeedsItsOwnVariable() {
        assertThat(TecnativaWarnings.of(config(Map.of("CONTAINERS", "1", "POST", "1"))))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .startsWith("EXEC is required for exec create")
                                        .contains("EXEC=1"))
                .anySatisfy(w -> assertThat(w).contains("attach").contains("ALLOW_ATTACH=1"));
    }

    @Test
    void containersWarnsAboutLogsArchiveAndExportUntilTheyAreOptedIn() {
        assertThat(TecnativaWarnings.of(config(Map.of("CONTAINERS", "1"))))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("no longer allows container logs")
                                        .contains("ALLOW_LOGS=1"))
                .anySatisfy(w -> assertThat(w).contains("ALLOW_ARCHIVE=1"))
                .anySatisfy(w -> assertThat(w).contains("ALLOW_EXPORT=1"))
                .noneSatisfy(w -> assertThat(w).contains("EXEC"));
        assertThat(
                        TecnativaWarnings.of(
                                config(
                                        Map.of(
                                                "CONTAINERS",
                                                "1",
                                                "ALLOW_LOGS",
                                                "1",
                                                "ALLOW_ARCHIVE",
                                                "1",
                                                "ALLOW_EXPORT",
                                                "1"))))
                .noneSatisfy(w -> assertThat(w).contains("CONTAINERS=1"));
    }

    @Test
    void archiveOptInWithoutPutWarnsThatWritingNeedsPost() {
        assertThat(TecnativaWarnings.of(config(Map.of("ALLOW_ARCHIVE", "1"))))
                .singleElement()
                .asString()
                .contains("PUT /containers/{id}/archive")
                .contains("POST=1");
    }

    @Test
    void noWarningsWhenAPresetReplacesTheEnvironment() {
        assertThat(
                        TecnativaWarnings.of(
                                config(
                                        Map.of("CONTAINERS", "1", "POST", "1"),
                                        "--preset",
                                        "traefik")))
                .isEmpty();
    }

    @Test
    void defaultEnvironmentHasNoWarnings() {
        assertThat(TecnativaWarnings.of(config(Map.of()))).isEmpty();
    }
}
