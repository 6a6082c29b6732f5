package dev.dockerproxy.it.adversarial;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the adversarial suite did, collected across its test classes and written as a readable
 * summary to stdout and {@code target/adversarial-report.md} (rewritten after each part, and once
 * more when the test plan ends, by {@link AdversarialReportListener}).
 */
final class AdversarialReport {

    static final Path FILE = Path.of("target", "adversarial-report.md");

    // corpus
    static final Map<String, Integer> casesPerCategory = new ConcurrentHashMap<>();
    static final AtomicLong corpusRuns = new AtomicLong();
    static final AtomicLong forbiddenReached = new AtomicLong();
    static final AtomicLong inexact = new AtomicLong();
    static final AtomicLong arrivedExactly = new AtomicLong();
    static final AtomicLong daemonRequests = new AtomicLong();
    static final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    static final List<String> findings = Collections.synchronizedList(new ArrayList<>());
    static final java.util.Set<String> unanswered =
            Collections.synchronizedSet(new java.util.TreeSet<>());
    static volatile Duration corpusTime;
    static volatile String corpusPolicies = "";

    // differential
    static final AtomicLong diffSent = new AtomicLong();
    static final AtomicLong diffAgreed = new AtomicLong();
    static final AtomicLong diffDisagreed = new AtomicLong();
    static final Map<String, AtomicLong> diffByEndpoint = new ConcurrentHashMap<>();
    static volatile Duration diffTime;

    // fuzz
    static final Map<String, long[]> fuzz =
            new ConcurrentHashMap<>(); // property -> cases, forwarded, pings, maxMillis
    static final Map<String, Duration> fuzzTime = new ConcurrentHashMap<>();

    private static volatile boolean touched;

    private AdversarialReport() {}

    static void touch() {
        touched = true;
    }

    static void status(String s) {
        statuses.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet();
    }

    static synchronized String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Adversarial suite report\n\n");
        sb.append("## Hostile corpus (judged by the daemon's journal)\n\n");
        if (corpusRuns.get() == 0) {
            sb.append("not run\n\n");
        } else {
            int total = casesPerCategory.values().stream().mapToInt(Integer::intValue).sum();
            sb.append("| category | cases |\n|---|---:|\n");
            new TreeMap<>(casesPerCategory)
                    .forEach(
                            (k, v) ->
                                    sb.append("| ")
                                            .append(k)
                                            .append(" | ")
                                            .append(v)
                                            .append(" |\n"));
            sb.append("| **total** | **").append(total).append("** |\n\n");
            sb.append("- policies: ").append(corpusPolicies).append("\n");
            sb.append("- runs (case x policy x transport): ").append(corpusRuns.get()).append("\n");
            sb.append("- requests that reached the daemon: ")
                    .append(daemonRequests.get())
                    .append("\n");
            sb.append("- **forbidden reached: ").append(forbiddenReached.get()).append("**\n");
            sb.append("- allowed arrived exactly (method, canonical target, body): ")
                    .append(arrivedExactly.get())
                    .append("\n");
            sb.append("- arrivals differing from the expectation: ")
                    .append(inexact.get())
                    .append("\n");
            sb.append("- first response status from the proxy: ")
                    .append(new TreeMap<>(counts(statuses)))
                    .append("\n");
            if (corpusTime != null) {
                sb.append("- time: ").append(corpusTime.toMillis()).append(" ms\n");
            }
            synchronized (unanswered) {
                if (!unanswered.isEmpty()) {
                    sb.append(
                                    "- cases the proxy closed without any HTTP answer (not a bypass; nothing forbidden arrived): ")
                            .append(String.join(", ", unanswered))
                            .append("\n");
                }
            }
            sb.append("\n");
        }
        sb.append("## Differential against the real daemon\n\n");
        if (diffSent.get() == 0) {
            sb.append("not run (needs -Ddockerproxy.e2e=true)\n\n");
        } else {
            sb.append("- allowed single requests sent straight to the engine: ")
                    .append(diffSent.get())
                    .append("\n");
            sb.append("- routed to the endpoint the proxy classified: ")
                    .append(diffAgreed.get())
                    .append("\n");
            sb.append("- **disagreements: ").append(diffDisagreed.get()).append("**\n");
            sb.append("- by endpoint: ").append(new TreeMap<>(counts(diffByEndpoint))).append("\n");
            if (diffTime != null) {
                sb.append("- time: ").append(diffTime.toMillis()).append(" ms\n");
            }
            sb.append("\n");
        }
        sb.append("## Property-based fuzzing (jqwik, through the real server)\n\n");
        if (fuzz.isEmpty()) {
            sb.append("not run\n\n");
        } else {
            sb.append(
                    "| property | cases | forwarded to the daemon | well-behaved pings answered | slowest case ms | time ms |\n");
            sb.append("|---|---:|---:|---:|---:|---:|\n");
            new TreeMap<>(fuzz)
                    .forEach(
                            (k, v) ->
                                    sb.append("| ")
                                            .append(k)
                                            .append(" | ")
                                            .append(v[0])
                                            .append(" | ")
                                            .append(v[1])
                                            .append(" | ")
                                            .append(v[2])
                                            .append(" | ")
                                            .append(v[3])
                                            .append(" | ")
                                            .append(
                                                    fuzzTime.getOrDefault(k, Duration.ZERO)
                                                            .toMillis())
                                            .append(" |\n"));
            sb.append("\nforbidden reached: ")
                    .append(forbiddenReached.get())
                    .append(" (corpus and fuzz together)\n\n");
        }
        sb.append("## Findings\n\n");
        synchronized (findings) {
            if (findings.isEmpty()) {
                sb.append("none\n");
            } else {
                findings.stream().limit(200).forEach(f -> sb.append("- ").append(f).append("\n"));
                if (findings.size() > 200) {
                    sb.append("- ... ").append(findings.size() - 200).append(" more\n");
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Writes the report file (and, when {@code print}, stdout). */
    static synchronized void write(boolean print) {
        if (!touched) {
            return;
        }
        String text = render();
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (print) {
            System.out.println(text);
        }
    }
}
