package dev.dockerproxy.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.DaemonView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What admission refuses and lets through, against a fake daemon with a few containers, networks
 * and volumes.
 */
class AdmissionTest {

    private static final String SOCKET = "/tmp/dpci.abc/e1/docker.sock";

    /** A daemon whose objects are canned inspect answers. */
    private static final DaemonView DAEMON =
            new DaemonView() {
                private final Map<String, String> objects =
                        Map.of(
                                "/containers/plain/json",
                                        "{\"HostConfig\":{\"NetworkMode\":\"none\",\"Privileged\":false,"
                                                + "\"MaskedPaths\":[\"/proc/kcore\"]},\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"data\"}]}",
                                "/containers/sock/json",
                                        "{\"HostConfig\":{\"NetworkMode\":\"none\"},\"Mounts\":[{\"Type\":\"bind\","
                                                + "\"Source\":\"/var/run/docker.sock\",\"RW\":true}]}",
                                "/containers/hostnet/json",
                                        "{\"HostConfig\":{\"NetworkMode\":\"host\"},\"Mounts\":[]}",
                                "/containers/chain/json",
                                        "{\"HostConfig\":{\"NetworkMode\":\"container:hostnet\"},\"Mounts\":[]}",
                                "/containers/priv/json",
                                        "{\"HostConfig\":{\"Privileged\":true},\"Mounts\":[]}",
                                "/networks/appnet", "{\"Name\":\"appnet\",\"Driver\":\"bridge\"}",
                                "/networks/abc123", "{\"Name\":\"host\",\"Driver\":\"host\"}",
                                "/volumes/rootbind",
                                        "{\"Name\":\"rootbind\",\"Driver\":\"local\",\"Options\":{\"type\":\"none\","
                                                + "\"o\":\"bind\",\"device\":\"/\"}}",
                                "/volumes/data",
                                        "{\"Name\":\"data\",\"Driver\":\"local\",\"Options\":null}");

                @Override
                public Optional<byte[]> get(String path) {
                    return Optional.ofNullable(objects.get(path))
                            .map(s -> s.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public List<String> socketPaths() {
                    return List.of(SOCKET);
                }
            };

    private static List<String> judge(String endpoint, String body) {
        return judge(endpoint, body, BodyConstraints.DEFAULT);
    }

    private static List<String> judge(String endpoint, String body, BodyConstraints c) {
        return Admission.judgeBody(endpoint, body.getBytes(StandardCharsets.UTF_8), c, DAEMON);
    }

    private static List<String> create(String body) {
        return judge("containers.create", body);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"Privileged\":true",
                "\"PidMode\":\"host\"",
                "\"NetworkMode\":\"host\"",
                "\"IpcMode\":\"host\"",
                "\"UTSMode\":\"host\"",
                "\"CapAdd\":[\"ALL\"]",
                "\"Binds\":[\"/:/host\"]",
                "\"Devices\":[{\"PathOnHost\":\"/dev/mem\"}]",
                "\"SecurityOpt\":[\"seccomp=unconfined\"]",
                "\"SecurityOpt\":[\"apparmor=unconfined\"]",
                "\"MaskedPaths\":[]",
                "\"CgroupParent\":\"/\""
            })
    void hostConfigFieldsAtTheTopLevelAreJudgedWhereTheDaemonReadsThem(String field) {
        String name = field.substring(1, field.indexOf('"', 1));
        for (String body :
                List.of(
                        "{\"Image\":\"busybox\"," + field + "}",
                        "{\"Image\":\"busybox\",\"HostConfig\":null," + field + "}",
                        "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"none\"},"
                                + field
                                + "}")) {
            assertThat(create(body))
                    .as(body)
                    .singleElement()
                    .asString()
                    .startsWith(name)
                    .contains("top level: the daemon reads it as HostConfig." + name);
        }
        assertThat(create("{\"Image\":\"busybox\",\"HostConfig\":{" + field + "}}"))
                .as("nested")
                .singleElement()
                .asString()
                .startsWith("HostConfig." + name);
    }

    @Test
    void whatDockerRunSendsForOrdinaryFlagsPasses() {
        assertThat(
                        create(
                                "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1\"],\"Env\":[\"A=b\"],\"User\":\"1000\","
                                        + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":5000000000},"
                                        + "\"HostConfig\":{\"NetworkMode\":\"none\",\"ReadonlyRootfs\":true,\"CapDrop\":[\"ALL\"],"
                                        + "\"CapAdd\":[\"NET_BIND_SERVICE\",\"cap_chown\"],\"SecurityOpt\":[\"no-new-privileges\"],"
                                        + "\"Binds\":[\"/srv/app:/data:ro\",\"data:/d\"],\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]},"
                                        + "\"MaskedPaths\":null,\"ReadonlyPaths\":null,\"Sysctls\":{\"net.ipv4.ip_unprivileged_port_start\":\"0\"},"
                                        + "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1m\"}},\"Runtime\":\"runc\","
                                        + "\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\"},{\"Type\":\"volume\",\"Source\":\"data\",\"Target\":\"/v\"}],"
                                        + "\"VolumesFrom\":[\"plain:ro\"],\"IpcMode\":\"private\",\"CgroupnsMode\":\"private\"},"
                                        + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"appnet\":{\"Aliases\":[\"web\"]}}}}"))
                .isEmpty();
        assertThat(
                        create(
                                "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"container:plain\"}}"))
                .isEmpty();
        assertThat(create("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/proc/self/root",
                "/proc/1/root",
                "/sys",
                "/dev",
                "/",
                "/etc",
                "/var/run",
                "/var",
                "/tmp/dpci.abc",
                "/tmp/dpci.abc/e1",
                "/tmp",
                SOCKET,
                "/home/u/docker.sock",
                "/var/lib/docker/volumes",
                "/srv/../etc/shadow",
                "/usr/bin"
            })
    void protectedHostPathsAreRefusedAsBindsMountsAndVolumeDevices(String source) {
        assertThat(create("{\"HostConfig\":{\"Binds\":[\"" + source + ":/h\"]}}"))
                .singleElement()
                .asString()
                .startsWith("HostConfig.Binds[0]=\"" + source + "\"");
        assertThat(
                        create(
                                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\""
                                        + source
                                        + "\",\"Target\":\"/h\",\"ReadOnly\":true}]}}"))
                .singleElement()
                .asString()
                .startsWith("HostConfig.Mounts[0].Source");
        assertThat(
                        judge(
                                "volumes.create",
                                "{\"Name\":\"v\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\","
                                        + "\"o\":\"bind\",\"device\":\""
                                        + source
                                        + "\"}}"))
                .singleElement()
                .asString()
                .startsWith("DriverOpts[\"device\"]");
    }

    @Test
    void timeZoneFilesMayBeMountedReadOnlyAndNamedBindSourcesWin() {
        assertThat(create("{\"HostConfig\":{\"Binds\":[\"/etc/localtime:/etc/localtime:ro\"]}}"))
                .isEmpty();
        assertThat(create("{\"HostConfig\":{\"Binds\":[\"/etc/localtime:/etc/localtime\"]}}"))
                .hasSize(1);
        BodyConstraints gpu =
                BodyConstraints.builder().bindSources(List.of("/dev/dri", "/srv")).build();
        assertThat(
                        judge(
                                "containers.create",
                                "{\"HostConfig\":{\"Binds\":[\"/dev/dri:/dev/dri\"]}}",
                                gpu))
                .isEmpty();
        assertThat(
                        judge(
                                "containers.create",
                                "{\"HostConfig\":{\"Binds\":[\"/dev/mem:/m\"]}}",
                                gpu))
                .singleElement()
                .asString()
                .contains("protected host path /dev");
        assertThat(judge("containers.create", "{\"HostConfig\":{\"Binds\":[\"/opt:/o\"]}}", gpu))
                .singleElement()
                .asString()
                .contains("outside the allowed bind sources");
    }

    @Test
    void borrowingIsJudgedByWhatTheBorrowedContainerHas() {
        assertThat(create("{\"HostConfig\":{\"VolumesFrom\":[\"sock\"]}}"))
                .singleElement()
                .asString()
                .startsWith("HostConfig.VolumesFrom[0] (container sock).Mounts[0].Source")
                .contains("Docker socket");
        assertThat(create("{\"HostConfig\":{\"VolumesFrom\":[\"priv:rw\"]}}"))
                .singleElement()
                .asString()
                .contains("Privileged");
        assertThat(create("{\"HostConfig\":{\"NetworkMode\":\"container:hostnet\"}}"))
                .singleElement()
                .asString()
                .contains("NetworkMode=\"host\"");
        assertThat(create("{\"HostConfig\":{\"PidMode\":\"container:chain\"}}"))
                .singleElement()
                .asString()
                .contains("(container chain)")
                .contains("(container hostnet)");
        assertThat(create("{\"HostConfig\":{\"IpcMode\":\"container:missing\"}}"))
                .singleElement()
                .asString()
                .contains("no such container");
        assertThat(create("{\"HostConfig\":{\"Binds\":[\"rootbind:/r\"]}}"))
                .singleElement()
                .asString()
                .contains("volume rootbind")
                .contains("Docker socket or a directory above it");
        assertThat(create("{\"HostConfig\":{\"NetworkMode\":\"abc123\"}}"))
                .singleElement()
                .asString()
                .contains("host's network");
        assertThat(create("{\"NetworkingConfig\":{\"EndpointsConfig\":{\"host\":{}}}}")).hasSize(1);
        assertThat(
                        Admission.judgeBody(
                                "containers.create",
                                "{\"HostConfig\":{\"VolumesFrom\":[\"plain\"]}}"
                                        .getBytes(StandardCharsets.UTF_8),
                                BodyConstraints.DEFAULT,
                                DaemonView.NONE))
                .singleElement()
                .asString()
                .contains("could not ask the daemon");
    }

    @Test
    void unknownFieldsAreRefusedByTheNameTheClientUsed() {
        assertThat(
                        create(
                                "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"none\",\"FutureField\":1}}"))
                .singleElement()
                .asString()
                .startsWith("HostConfig.FutureField")
                .contains("does not know");
        assertThat(create("{\"Capabilities\":[\"CAP_SYS_ADMIN\"]}"))
                .singleElement()
                .asString()
                .startsWith("Capabilities");
        BodyConstraints allowing =
                BodyConstraints.builder()
                        .bindSources(null)
                        .allowFields(List.of("HostConfig.FutureField", "HostConfig.Runtime"))
                        .build();
        assertThat(
                        judge(
                                "containers.create",
                                "{\"HostConfig\":{\"FutureField\":1,\"Runtime\":\"kata\"}}",
                                allowing))
                .isEmpty();
        assertThat(create("{\"HostConfig\":{\"Runtime\":\"kata\"}}"))
                .singleElement()
                .asString()
                .contains("allow-fields: [HostConfig.Runtime]");
    }

    @Test
    void capabilitiesSysctlsAndSecurityOptionsFollowTheBaseline() {
        assertThat(
                        create(
                                "{\"HostConfig\":{\"CapAdd\":[\"CAP_SYS_ADMIN\",\"NET_ADMIN\",\"chown\"]}}"))
                .hasSize(2);
        assertThat(create("{\"HostConfig\":{\"Sysctls\":{\"kernel.core_pattern\":\"|/x\"}}}"))
                .hasSize(1);
        assertThat(
                        create(
                                "{\"HostConfig\":{\"SecurityOpt\":[\"no-new-privileges:true\",\"label=disable\"]}}"))
                .singleElement()
                .asString()
                .startsWith("HostConfig.SecurityOpt[1]");
        assertThat(create("{\"HostConfig\":{\"Annotations\":{\"run.oci.x\":\"1\"}}}")).hasSize(1);
        assertThat(
                        create(
                                "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv\",\"Target\":\"/s\","
                                        + "\"BindOptions\":{\"Propagation\":\"rshared\"}}]}}"))
                .singleElement()
                .asString()
                .contains("propagates");
        BodyConstraints lax =
                BodyConstraints.builder()
                        .bindSources(null)
                        .denyCapabilities(false)
                        .denySecurityOptions(false)
                        .build();
        assertThat(
                        judge(
                                "containers.create",
                                "{\"HostConfig\":{\"CapAdd\":[\"ALL\"],"
                                        + "\"SecurityOpt\":[\"seccomp=unconfined\"],\"MaskedPaths\":[]}}",
                                lax))
                .isEmpty();
    }

    @Test
    void execUpdateServicesVolumesAndPluginsAreJudged() {
        assertThat(judge("containers.exec.create", "{\"Cmd\":[\"id\"],\"Privileged\":true}"))
                .hasSize(1);
        assertThat(judge("containers.exec.create", "{\"Cmd\":[\"id\"],\"User\":\"00\"}")).isEmpty();
        BodyConstraints noRoot =
                BodyConstraints.builder().bindSources(null).denyRootUser(true).build();
        for (String user : List.of("root", "0", "00", "root:0", "0:1000")) {
            assertThat(judge("containers.exec.create", "{\"User\":\"" + user + "\"}", noRoot))
                    .as(user)
                    .hasSize(1);
        }
        assertThat(judge("containers.exec.create", "{\"User\":\"1000:0\"}", noRoot)).isEmpty();
        assertThat(judge("containers.update", "{\"Devices\":[{\"PathOnHost\":\"/dev/mem\"}]}"))
                .hasSize(1);
        assertThat(judge("containers.update", "{\"CgroupParent\":\"/\"}")).hasSize(1);
        assertThat(
                        judge(
                                "containers.update",
                                "{\"Memory\":1000000,\"RestartPolicy\":{\"Name\":\"always\"}}"))
                .isEmpty();
        assertThat(
                        judge(
                                "services.create",
                                "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"b\","
                                        + "\"CapabilityAdd\":[\"ALL\"],\"Privileges\":{\"Seccomp\":{\"Mode\":\"unconfined\"},"
                                        + "\"NoNewPrivileges\":true},\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\","
                                        + "\"Target\":\"/s\"}]},\"Networks\":[{\"Target\":\"host\"}]}}"))
                .hasSize(4);
        assertThat(
                        judge(
                                "services.create",
                                "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"b\"},"
                                        + "\"Networks\":[{\"Target\":\"appnet\"}]},\"Mode\":{\"Replicated\":{\"Replicas\":1}}}"))
                .isEmpty();
        assertThat(judge("volumes.create", "{\"Name\":\"v\",\"Driver\":\"sshfs\"}")).hasSize(1);
        assertThat(
                        judge(
                                "volumes.create",
                                "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"ext4\",\"device\":\"/dev/sda1\"}}"))
                .hasSize(1);
        assertThat(
                        judge(
                                "volumes.create",
                                "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\"}}"))
                .isEmpty();
        assertThat(judge("plugins.pull", "[{\"Name\":\"mount\",\"Value\":[\"/\"]}]")).hasSize(1);
        assertThat(judge("plugins.set", "[\"DEBUG=1\",\"mymount.source=/\"]"))
                .singleElement()
                .asString()
                .startsWith("[1]");
        assertThat(judge("containers.start", "{\"Privileged\":true}", BodyConstraints.UNRESTRICTED))
                .hasSize(1);
        assertThat(
                        judge(
                                "containers.create",
                                "{\"HostConfig\":{\"Privileged\":true}}",
                                BodyConstraints.UNRESTRICTED))
                .isEmpty();
    }

    @Test
    void queriesAreReadAsTheDaemonReadsThem() {
        BodyConstraints c = BodyConstraints.DEFAULT;
        assertThat(
                        Admission.judgeQuery(
                                "build.create",
                                "t=app%3A1&dockerfile=Dockerfile&rm=1&networkmode=none",
                                c))
                .isEmpty();
        assertThat(Admission.judgeQuery("build.create", "networkmode=host", c))
                .singleElement()
                .asString()
                .startsWith("query parameter networkmode");
        assertThat(Admission.judgeQuery("build.create", "networkmode=bridge&networkmode=%68ost", c))
                .hasSize(1);
        assertThat(Admission.judgeQuery("build.create", "version=2", c)).hasSize(1);
        assertThat(Admission.judgeQuery("build.create", "cgroupparent=/", c)).hasSize(1);
        assertThat(Admission.judgeQuery("build.create", "NetworkMode=host", c))
                .singleElement()
                .asString()
                .contains("does not know");
        assertThat(Admission.judgeQuery("build.create", "a=1;networkmode=host", c)).hasSize(1);
        assertThat(Admission.judgeQuery("images.create", "fromSrc=http://169.254.169.254/x", c))
                .hasSize(1);
        assertThat(Admission.judgeQuery("images.create", "fromSrc=-&repo=me/app", c)).isEmpty();
        BodyConstraints only =
                BodyConstraints.builder()
                        .bindSources(null)
                        .images(List.of("nginx", "ghcr.io/org/"))
                        .build();
        assertThat(Admission.judgeQuery("images.create", "fromImage=nginx&tag=1.25", only))
                .isEmpty();
        assertThat(Admission.judgeQuery("images.create", "fromImage=docker.io/library/nginx", only))
                .isEmpty();
        assertThat(Admission.judgeQuery("images.create", "fromImage=ghcr.io/org/app", only))
                .isEmpty();
        assertThat(Admission.judgeQuery("images.create", "fromImage=evil/nginx", only)).hasSize(1);
        assertThat(judge("containers.create", "{\"Image\":\"sha256:abcdef\"}", only)).hasSize(1);
        assertThat(Admission.judgeQuery("plugins.create", "name=p", c)).hasSize(1);
        assertThat(Admission.formBodyRefusal("Application/X-WWW-Form-Urlencoded; charset=utf-8"))
                .isNotNull();
        assertThat(Admission.formBodyRefusal("application/json")).isNull();
    }
}
