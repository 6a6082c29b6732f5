package dev.dockerproxy.cli.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProbePlanTest {

    private final Map<String, Probe> probes =
            ProbePlan.create("dsp-verify-nonexistent-abc").probes().stream()
                    .collect(
                            Collectors.toMap(
                                    p -> p.id() + " " + p.method(),
                                    Function.identity(),
                                    (a, b) -> a));

    @Test
    void pullsPrunesAndSwarmChangesAreNeverProbed() {
        for (String id :
                new String[] {
                    "images.create POST",
                    "containers.prune POST",
                    "images.prune POST",
                    "volumes.prune POST",
                    "networks.prune POST",
                    "build.prune POST",
                    "swarm.init POST",
                    "swarm.leave POST",
                    "swarm.join POST",
                    "system.auth POST",
                    "plugins.pull POST"
                }) {
            assertThat(probes.get(id).probed()).as(id).isFalse();
        }
    }

    @Test
    void containerCreateHasAnInvalidNameAndABodyWithoutImage() {
        Probe create = probes.get("containers.create POST");
        assertThat(create.target()).isEqualTo("/containers/create?name=%2Finvalid%2F%2Fname");
        assertThat(new String(create.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"Image\":\"\"}");
    }

    @Test
    void
            everyProbeThatIsNotAPlainReadNamesTheNonexistentObjectCarriesABodyOrLacksTheUpgradeHeader() {
        for (Probe p : probes.values()) {
            if (!p.probed() || p.method().equals("GET") || p.method().equals("HEAD")) {
                continue;
            }
            boolean namesMissing = p.target().contains("dsp-verify-nonexistent-abc");
            boolean rejectedBody = p.body() != null;
            boolean noUpgrade = p.why().startsWith("no Upgrade: h2c header");
            assertThat(namesMissing || rejectedBody || noUpgrade)
                    .as("%s %s", p.id(), p.target())
                    .isTrue();
        }
    }

    @Test
    void eventsAreProbedWithAPastWindowAndOnlyTheHeadIsRead() {
        Probe events = probes.get("system.events GET");
        assertThat(events.target()).isEqualTo("/events?since=1&until=2");
        assertThat(events.readBody()).isFalse();
    }
}
