package dev.dockerproxy.it.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the outcome of each fault and longevity scenario into {@code
 * proxy-it/target/faults-report.md} (rewritten after every record, so a run that dies half-way
 * still leaves what it measured) and prints each line as it comes. Only scenarios whose assertions
 * all passed are recorded as survived; a failing scenario records nothing and fails its test.
 */
final class FaultsReport {

    private static final Path FILE =
            Path.of(System.getProperty("dockerproxy.faults.report", "target/faults-report.md"));
    private static final Map<String, String> LINES = new TreeMap<>();
    private static final Map<String, String> LEAKS = new TreeMap<>();
    private static final Map<String, String> NOTES = new TreeMap<>();

    private FaultsReport() {}

    /**
     * Records a survived scenario: what ran, at which size, how long it took, what was measured.
     */
    static synchronized void survived(String scenario, String details, Duration took) {
        LINES.put(
                scenario,
                "| " + scenario + " | survived | " + details + " | " + millis(took) + " |");
        System.out.println(
                "[faults] " + scenario + ": survived; " + details + " (" + millis(took) + ")");
        write();
    }

    /** Records a leak check that passed: baseline and end values. */
    static synchronized void leakCheck(String scenario, String details) {
        LEAKS.put(scenario, "| " + scenario + " | none | " + details + " |");
        System.out.println("[faults] leak check " + scenario + ": none; " + details);
        write();
    }

    /** Records something a reader must know, e.g. a size scaled down to fit a limit. */
    static synchronized void note(String text) {
        NOTES.put(text, "- " + text);
        write();
    }

    private static String millis(Duration d) {
        return d.toMillis() >= 10_000
                ? String.format("%.1f s", d.toMillis() / 1000.0)
                : d.toMillis() + " ms";
    }

    private static void write() {
        StringBuilder b = new StringBuilder();
        b.append("# Faults and longevity report\n\n");
        b.append("JVM: ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(Runtime.version())
                .append(", ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20)
                .append(" MiB\n\n");
        b.append("Sizes: ").append(FaultSizes.describe()).append("\n\n");
        b.append("Faults survived: ")
                .append(LINES.size())
                .append("; leaks: ")
                .append(LEAKS.isEmpty() ? "not checked" : "none (" + LEAKS.size() + " checks)")
                .append("\n\n");
        NOTES.values().forEach(l -> b.append(l).append('\n'));
        if (!NOTES.isEmpty()) {
            b.append('\n');
        }
        b.append("| scenario | result | details | time |\n|---|---|---|---|\n");
        LINES.values().forEach(l -> b.append(l).append('\n'));
        if (!LEAKS.isEmpty()) {
            b.append("\n| leak check | leaks | baseline → after |\n|---|---|---|\n");
            LEAKS.values().forEach(l -> b.append(l).append('\n'));
        }
        try {
            Path parent = FILE.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(FILE, b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE.toAbsolutePath(), e);
        }
    }
}
