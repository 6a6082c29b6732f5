package dev.dockerproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dockerproxy.policy.Endpoint;
import dev.dockerproxy.policy.Section;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code check}: validates the configuration and prints the effective permission matrix. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Validate the configuration (exit 2 naming the variable, flag or file:line:column on error) "
                    + "and print the effective permission matrix: every section and endpoint, allowed or denied, "
                    + "for a plain client."
        },
        footer = ExitCodes.FOOTER)
public final class CheckCommand implements Callable<Integer> {

    /**
     * Loaded only for --format json: picocli instantiates every command, and serve should not pay
     * for databind.
     */
    private static final class Json {
        static final ObjectMapper MAPPER =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    @ParentCommand DockerSocketProxyCommand parent;

    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConfigOptions config = new ConfigOptions();

    /** Output formats. */
    enum Format {
        table,
        json
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        ResolvedConfig cfg = ConfigResolver.resolve(config, parent.env());
        PermissionMatrix matrix = PermissionMatrix.of(cfg.policy());
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.MAPPER.writeValueAsString(json(cfg, matrix)));
        } else {
            table(out, cfg, matrix);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void table(PrintWriter out, ResolvedConfig cfg, PermissionMatrix matrix) {
        out.println("configuration OK");
        for (String note : cfg.notes()) {
            out.println("note: " + note);
        }
        for (String w : TecnativaWarnings.of(cfg)) {
            out.println("warning: " + w);
        }
        out.println(
                "policy: "
                        + cfg.policy().name()
                        + " ("
                        + cfg.policyOrigin()
                        + ", "
                        + cfg.policy().rules().size()
                        + " rules); "
                        + matrix.allowedCount()
                        + " of "
                        + matrix.rows().size()
                        + " endpoints allowed; API versions from "
                        + cfg.policy().minApiVersion());
        for (Map.Entry<Section, List<PermissionMatrix.Row>> e : matrix.bySection().entrySet()) {
            long allowed = e.getValue().stream().filter(PermissionMatrix.Row::allowed).count();
            out.println();
            out.println(e.getKey() + "  (" + allowed + "/" + e.getValue().size() + " allowed)");
            for (PermissionMatrix.Row r : e.getValue()) {
                Endpoint ep = r.endpoint();
                out.printf(
                        "  %-7s %-6s %-45s %-28s %-14s %s%n",
                        r.allowed() ? "allowed" : "denied",
                        ep.method(),
                        ep.template(),
                        ep.id(),
                        ep.access().id(),
                        r.decision().rule().name() + " (" + r.decision().rule().source() + ")");
            }
        }
    }

    private static ObjectNode json(ResolvedConfig cfg, PermissionMatrix matrix) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("valid", true);
        ObjectNode policy = root.putObject("policy");
        policy.put("name", cfg.policy().name());
        policy.put("origin", cfg.policyOrigin());
        policy.put("rules", cfg.policy().rules().size());
        policy.put("minApiVersion", cfg.policy().minApiVersion());
        ArrayNode unrestricted = policy.putArray("unrestrictedRules");
        cfg.policy().unrestrictedRules().keySet().forEach(r -> unrestricted.add(r.name()));
        ArrayNode notes = root.putArray("notes");
        cfg.notes().forEach(notes::add);
        ArrayNode warnings = root.putArray("warnings");
        TecnativaWarnings.of(cfg).forEach(warnings::add);
        root.put("allowed", matrix.allowedCount());
        root.put("total", matrix.rows().size());
        ArrayNode sections = root.putArray("sections");
        matrix.bySection()
                .forEach(
                        (section, rows) -> {
                            ObjectNode s = sections.addObject();
                            s.put("section", section.name());
                            s.put(
                                    "allowed",
                                    rows.stream().filter(PermissionMatrix.Row::allowed).count());
                            s.put("total", rows.size());
                            ArrayNode eps = s.putArray("endpoints");
                            for (PermissionMatrix.Row r : rows) {
                                ObjectNode o = eps.addObject();
                                o.put("id", r.endpoint().id());
                                o.put("method", r.endpoint().method());
                                o.put("template", r.endpoint().template());
                                o.put("samplePath", r.samplePath());
                                o.put("access", r.endpoint().access().id());
                                o.put("allowed", r.allowed());
                                o.put("status", r.decision().status());
                                o.put("rule", r.decision().rule().name());
                                o.put("source", r.decision().rule().source().toString());
                            }
                        });
        return root;
    }
}
