package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

class MainTest {

    /** Main turns off picocli's java.sql and java.time converters: no option may rely on one. */
    @Test
    void noOptionNeedsAnExcludedBuiltInConverter() {
        List<String> checked = new ArrayList<>();
        List<String> needing = new ArrayList<>();
        collect(DockerSocketProxyCommand.commandLine(Map.of()), checked, needing);
        assertThat(checked)
                .contains("serve --header-timeout", "health --timeout", "verify --timeout");
        assertThat(needing).isEmpty();
    }

    @Test
    void theExcludesMatchTheTypesAndNotPath() {
        for (String regex : Main.CONVERTER_EXCLUDES.split(",")) {
            assertThat("java.nio.file.Path".matches(regex)).isFalse();
        }
        assertThat(excluded("java.time.Duration")).isTrue();
        assertThat(excluded("java.sql.Timestamp")).isTrue();
    }

    private static boolean excluded(String type) {
        for (String regex : Main.CONVERTER_EXCLUDES.split(",")) {
            if (type.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(CommandLine cl, List<String> checked, List<String> needing) {
        for (ArgSpec arg : cl.getCommandSpec().args()) {
            String type = arg.type().getName();
            String where =
                    cl.getCommandName()
                            + " "
                            + (arg.isOption()
                                    ? ((CommandLine.Model.OptionSpec) arg).longestName()
                                    : arg.paramLabel());
            if (excluded(type)) {
                checked.add(where);
                if (arg.converters().length == 0) {
                    needing.add(where + " (" + type + ")");
                }
            }
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, checked, needing));
    }
}
