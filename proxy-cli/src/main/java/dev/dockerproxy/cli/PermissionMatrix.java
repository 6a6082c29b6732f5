package dev.dockerproxy.cli;

import dev.dockerproxy.policy.AccessClass;
import dev.dockerproxy.policy.ClientIdentity;
import dev.dockerproxy.policy.Decision;
import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.Policy;
import dev.dockerproxy.policy.Section;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a policy allows, endpoint by endpoint, for a plain client: each catalog endpoint is judged
 * with a sample path made from its template ({@code /containers/{name:.*}/json} becomes {@code
 * /containers/x/json}). Immutable.
 */
public final class PermissionMatrix {

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    /**
     * One endpoint and its decision.
     *
     * @param endpoint the catalog endpoint
     * @param samplePath the path that was judged
     * @param decision the policy's decision for it
     */
    public record Row(Endpoint endpoint, String samplePath, Decision decision) {
        public boolean allowed() {
            return decision.allowed();
        }
    }

    private final Map<Section, List<Row>> bySection;

    private PermissionMatrix(Map<Section, List<Row>> bySection) {
        this.bySection = bySection;
    }

    /** Judges every endpoint of the policy's catalog. */
    public static PermissionMatrix of(Policy policy) {
        Map<Section, List<Row>> rows = new EnumMap<>(Section.class);
        for (Endpoint e : policy.catalog().endpoints()) {
            if ("OPTIONS".equals(e.method())) {
                continue;
            }
            String path = samplePath(e.template());
            Decision d = policy.decide(e.method(), path, ClientIdentity.LOCAL);
            rows.computeIfAbsent(e.section(), k -> new ArrayList<>()).add(new Row(e, path, d));
        }
        Map<Section, List<Row>> frozen = new LinkedHashMap<>();
        rows.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new PermissionMatrix(java.util.Collections.unmodifiableMap(frozen));
    }

    /** A concrete path for a route template: every variable becomes {@code x}. */
    public static String samplePath(String template) {
        return VARIABLE.matcher(template).replaceAll("x");
    }

    /** Rows grouped by section, sections in name order. */
    public Map<Section, List<Row>> bySection() {
        return bySection;
    }

    /** All rows. */
    public List<Row> rows() {
        List<Row> all = new ArrayList<>();
        bySection.values().forEach(all::addAll);
        return all;
    }

    /** Number of allowed endpoints. */
    public long allowedCount() {
        return rows().stream().filter(Row::allowed).count();
    }

    /**
     * One phrase per section with something allowed, e.g. {@code CONTAINERS 12/40 (read)}; empty
     * when the policy allows nothing.
     */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        bySection.forEach(
                (section, rows) -> {
                    long allowed = rows.stream().filter(Row::allowed).count();
                    if (allowed == 0) {
                        return;
                    }
                    Set<String> classes = new TreeSet<>();
                    for (Row r : rows) {
                        if (r.allowed()) {
                            classes.add(r.endpoint().access().id());
                        }
                    }
                    out.add(
                            section
                                    + " "
                                    + allowed
                                    + "/"
                                    + rows.size()
                                    + " ("
                                    + String.join(", ", classes)
                                    + ")");
                });
        return out;
    }

    /** Allowed endpoints of the dangerous access classes (exec and read-sensitive), by id. */
    public List<String> dangerousAllowed() {
        List<String> out = new ArrayList<>();
        for (Row r : rows()) {
            AccessClass a = r.endpoint().access();
            if (r.allowed()
                    && (a == AccessClass.EXEC || a == AccessClass.READ_SENSITIVE)
                    && !out.contains(r.endpoint().id())) {
                out.add(r.endpoint().id());
            }
        }
        return out;
    }
}
