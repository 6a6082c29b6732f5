package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PresetsTest {

    /** The endpoint ids a policy allows for a plain client, computed over the whole catalog. */
    static Set<String> allowedIds(Policy p) {
        Set<String> ids = new TreeSet<>();
        for (Endpoint e : EndpointCatalog.STANDARD.endpoints()) {
            String path = EndpointCatalogTest.instantiate(e.template(), false);
            if (p.decide(e.method(), path, ClientIdentity.LOCAL).allowed()) {
                ids.add(e.id());
            }
        }
        return ids;
    }

    @Test
    void traefikAllowsExactlyWhatItsProvidersCall() {
        assertThat(allowedIds(Presets.get("traefik")))
                .containsExactlyInAnyOrder(
                        "system.ping",
                        "system.ping.head",
                        "system.version",
                        "system.info",
                        "system.events",
                        "containers.list",
                        "containers.inspect",
                        "services.list",
                        "services.inspect",
                        "tasks.list",
                        "tasks.inspect",
                        "networks.list",
                        "networks.inspect");
    }

    @Test
    void homepageAllowsListInspectAndStats() {
        assertThat(allowedIds(Presets.get("homepage")))
                .containsExactlyInAnyOrder(
                        "system.ping",
                        "system.ping.head",
                        "system.version",
                        "system.info",
                        "containers.list",
                        "containers.inspect",
                        "containers.stats");
    }

    @Test
    void watchtowerCanRecreateContainersButNotExecOrReadFiles() {
        Set<String> ids = allowedIds(Presets.get("watchtower"));
        assertThat(ids)
                .contains(
                        "images.create",
                        "containers.create",
                        "containers.delete",
                        "containers.stop",
                        "containers.start",
                        "networks.connect");
        assertThat(ids)
                .doesNotContain(
                        "containers.exec.create",
                        "exec.start",
                        "containers.archive.get",
                        "containers.logs",
                        "containers.attach",
                        "images.save",
                        "volumes.delete",
                        "secrets.list");
    }

    @Test
    void readOnlyAllowsEveryReadEndpointWithGetOrHeadAndNothingElse() {
        Set<String> expected =
                EndpointCatalog.STANDARD.endpoints().stream()
                        .filter(
                                e ->
                                        e.access() == AccessClass.READ
                                                && Set.of("GET", "HEAD").contains(e.method()))
                        .map(Endpoint::id)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(allowedIds(Presets.get("read-only")))
                .isEqualTo(expected)
                .contains("containers.list", "images.list", "system.events", "system.ping.head")
                .doesNotContain(
                        "containers.logs",
                        "containers.archive.get",
                        "containers.export",
                        "images.save",
                        "configs.list",
                        "swarm.unlockkey",
                        "debug.vars",
                        "containers.attach.ws",
                        "system.options",
                        "containers.wait");
    }

    @Test
    void portainerReadOnlyIsReadOnlyPlusLogs() {
        Set<String> ro = allowedIds(Presets.get("read-only"));
        Set<String> portainer = allowedIds(Presets.get("portainer-read-only"));
        assertThat(portainer)
                .containsAll(ro)
                .contains("containers.logs", "services.logs", "tasks.logs");
        portainer.removeAll(ro);
        assertThat(portainer)
                .containsExactlyInAnyOrder("containers.logs", "services.logs", "tasks.logs");
    }

    @Test
    void denyAllAllowsNothingAndAnswers405() {
        Policy p = Presets.get("deny-all");
        assertThat(allowedIds(p)).isEmpty();
        assertThat(p.decide("GET", "/_ping", ClientIdentity.LOCAL).status()).isEqualTo(405);
    }

    @Test
    void everyPresetHasADescriptionAndItsRulesNameThePreset() {
        assertThat(Presets.descriptions().keySet()).containsExactlyElementsOf(Presets.names());
        for (String name : Presets.names()) {
            for (Rule r : Presets.rules(name)) {
                assertThat(r.source()).isEqualTo(RuleSource.preset(name));
            }
        }
    }

    @Test
    void unknownPresetNamesTheKnownOnes() {
        assertThatThrownBy(() -> Presets.get("trafik"))
                .hasMessageContaining("unknown preset 'trafik'")
                .hasMessageContaining("traefik");
    }

    @Test
    void deniedPresetRequestSaysWhichRuleWouldAllowIt() {
        Decision d =
                Presets.get("traefik").decide("POST", "/containers/create", ClientIdentity.LOCAL);
        assertThat(d.status()).isEqualTo(405);
        d = Presets.get("watchtower").decide("POST", "/containers/a/exec", ClientIdentity.LOCAL);
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.message()).contains("containers.exec.create").contains("allow rule");
        assertThat(List.of(d.rule())).containsExactly(RuleRef.DEFAULT_DENY);
    }
}
