package dev.dockerproxy.it;

import dev.dockerproxy.testsupport.DockerCli;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot of what an engine holds – containers, images, volumes, networks – for "the denied
 * request changed nothing" assertions:
 *
 * <pre>{@code
 * EngineState before = EngineState.capture(engine.cli());
 * ... something through the proxy that must be denied ...
 * assertThat(EngineState.capture(engine.cli())).isEqualTo(before);   // or before.requireUnchanged(after)
 * }</pre>
 *
 * Capture it with a CLI pointed straight at the engine, not through the proxy under test. Each
 * element is a line: containers {@code "<id> <name> <state>"}, images {@code "<id> <repo>:<tag>"},
 * volumes {@code "<name>"}, networks {@code "<id> <name>"}, so a rename, retag, start/stop or
 * create/delete all show up as a difference.
 */
public record EngineState(
        Set<String> containers, Set<String> images, Set<String> volumes, Set<String> networks) {

    public EngineState {
        containers = Set.copyOf(new TreeSet<>(containers));
        images = Set.copyOf(new TreeSet<>(images));
        volumes = Set.copyOf(new TreeSet<>(volumes));
        networks = Set.copyOf(new TreeSet<>(networks));
    }

    public static EngineState capture(DockerCli cli) {
        return new EngineState(
                lines(cli, "ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}"),
                lines(
                        cli,
                        "image",
                        "ls",
                        "-a",
                        "--no-trunc",
                        "--format",
                        "{{.ID}} {{.Repository}}:{{.Tag}}"),
                lines(cli, "volume", "ls", "--format", "{{.Name}}"),
                lines(cli, "network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}}"));
    }

    private static Set<String> lines(DockerCli cli, String... args) {
        return new TreeSet<>(cli.run(args).requireSuccess().lines());
    }

    public int containerCount() {
        return containers.size();
    }

    public int imageCount() {
        return images.size();
    }

    public int volumeCount() {
        return volumes.size();
    }

    public int networkCount() {
        return networks.size();
    }

    /** True when some image line names {@code repo:tag}. */
    public boolean hasImage(String repoTag) {
        return images.stream().anyMatch(l -> l.endsWith(" " + repoTag));
    }

    /** Human-readable differences from {@code before} to this; empty when equal. */
    public String diffFrom(EngineState before) {
        List<String> out = new ArrayList<>();
        diff(out, "container", before.containers, containers);
        diff(out, "image", before.images, images);
        diff(out, "volume", before.volumes, volumes);
        diff(out, "network", before.networks, networks);
        return String.join("\n", out);
    }

    /** Throws an AssertionError listing what changed when {@code after} differs from this. */
    public void requireUnchanged(EngineState after) {
        String d = after.diffFrom(this);
        if (!d.isEmpty()) {
            throw new AssertionError("engine state changed:\n" + d);
        }
    }

    private static void diff(List<String> out, String kind, Set<String> before, Set<String> after) {
        for (String s : new TreeSet<>(after)) {
            if (!before.contains(s)) {
                out.add("+ " + kind + " " + s);
            }
        }
        for (String s : new TreeSet<>(before)) {
            if (!after.contains(s)) {
                out.add("- " + kind + " " + s);
            }
        }
    }

    @Override
    public String toString() {
        return "EngineState[containers("
                + containers.size()
                + ")="
                + new TreeSet<>(containers)
                + ", images("
                + images.size()
                + ")="
                + new TreeSet<>(images)
                + ", volumes("
                + volumes.size()
                + ")="
                + new TreeSet<>(volumes)
                + ", networks("
                + networks.size()
                + ")="
                + new TreeSet<>(networks)
                + "]";
    }
}
