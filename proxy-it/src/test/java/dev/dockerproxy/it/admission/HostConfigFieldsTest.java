package dev.dockerproxy.it.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.it.DockerEngine;
import dev.dockerproxy.it.ProxyUnderTest;
import dev.dockerproxy.it.RequiresDockerEngine;
import dev.dockerproxy.testsupport.DockerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HostConfig fields judged by value: empty {@code MaskedPaths}/{@code ReadonlyPaths} unmask {@code
 * /proc} and {@code /sys} (what {@code --security-opt systempaths=unconfined} sends), and a field
 * the proxy does not know is refused rather than passed on (fail closed).
 */
@RequiresDockerEngine
class HostConfigFieldsTest {

    private Admission fx;
    private ProxyUnderTest proxyUnderTest;
    private ProxyApi proxy;

    @BeforeEach
    void startProxy(DockerEngine engine) {
        fx = new Admission(engine);
        proxyUnderTest = fx.proxy(Admission.env("CONTAINERS", "POST"));
        proxy = new ProxyApi(proxyUnderTest.dockerHost());
    }

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void emptyMaskedPathsAreRefused() {
        String name = fx.name("masked");
        fx.assertRefusedAndNotCreated(
                proxy.create(name, "\"MaskedPaths\":[]"), name, "MaskedPaths");
    }

    @Test
    void emptyReadonlyPathsAreRefused() {
        String name = fx.name("ro");
        fx.assertRefusedAndNotCreated(
                proxy.create(name, "\"ReadonlyPaths\":[]"), name, "ReadonlyPaths");
    }

    @Test
    void systemPathsUnconfinedIsRefused() {
        String name = fx.name("both");
        fx.assertRefusedAndNotCreated(
                proxy.create(name, "\"MaskedPaths\":[],\"ReadonlyPaths\":[]"),
                name,
                "MaskedPaths",
                "ReadonlyPaths");
    }

    @Test
    void systemPathsUnconfinedFromTheCliIsRefused() {
        String name = fx.name("cli");
        DockerCli.Result r =
                DockerCli.on(proxyUnderTest.dockerHost())
                        .run(
                                "create",
                                "--name",
                                name,
                                "--pull",
                                "never",
                                "--network",
                                "none",
                                "--security-opt",
                                "systempaths=unconfined",
                                Admission.BUSYBOX,
                                "true");
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stderr()).as("%s", r).containsAnyOf("MaskedPaths", "ReadonlyPaths");
        assertThat(fx.direct().inspectContainer(name)).isEmpty();
    }

    @Test
    void unknownHostConfigFieldIsRefused() {
        String name = fx.name("future");
        fx.assertRefusedAndNotCreated(proxy.create(name, "\"FutureField\":1"), name, "FutureField");
    }
}
