package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.BodyConstraints;
import java.util.Map;
import java.util.Set;

/**
 * The field table: every field of the JSON bodies the daemon decodes for the writes that can grant
 * power, classified as in the Docker Engine API spec (v1.56) plus the older fields a 20.10 daemon
 * still decodes ({@code MacAddress}, {@code KernelMemory}, {@code KernelMemoryTCP}, the create
 * wrapper's {@code Cpuset}, exec's {@code Detach}). A test fails when the spec has a field this
 * table does not classify. Immutable and thread-safe.
 */
public final class Bodies {

    private static final Judge JUDGED_WITH_ITS_ENTRY =
            (value, at, check) -> {
                // judged together with the entry that holds it (see Volumes.MOUNT)
            };

    static final Model HEALTH_CONFIG =
            Model.named("HealthConfig")
                    .harmless(
                            "Test",
                            "Interval",
                            "Timeout",
                            "Retries",
                            "StartPeriod",
                            "StartInterval")
                    .build();

    /** {@code ContainerConfig}: what runs inside the container. */
    public static final Model CONTAINER_CONFIG =
            Model.named("ContainerConfig")
                    .harmless(
                            "Hostname",
                            "Domainname",
                            "AttachStdin",
                            "AttachStdout",
                            "AttachStderr",
                            "ExposedPorts",
                            "Tty",
                            "OpenStdin",
                            "StdinOnce",
                            "Env",
                            "Cmd",
                            "ArgsEscaped",
                            "Volumes",
                            "WorkingDir",
                            "Entrypoint",
                            "NetworkDisabled",
                            "OnBuild",
                            "Labels",
                            "StopSignal",
                            "StopTimeout",
                            "Shell",
                            "MacAddress")
                    .judged("User", Judges.USER)
                    .judged("Image", Judges.IMAGE)
                    .nested("Healthcheck", HEALTH_CONFIG)
                    .build();

    /** {@code Resources}: shared by HostConfig and container update. */
    public static final Model RESOURCES =
            Model.named("Resources")
                    .harmless(
                            "CpuShares",
                            "Memory",
                            "BlkioWeight",
                            "BlkioWeightDevice",
                            "BlkioDeviceReadBps",
                            "BlkioDeviceWriteBps",
                            "BlkioDeviceReadIOps",
                            "BlkioDeviceWriteIOps",
                            "CpuPeriod",
                            "CpuQuota",
                            "CpuRealtimePeriod",
                            "CpuRealtimeRuntime",
                            "CpusetCpus",
                            "CpusetMems",
                            "MemoryReservation",
                            "MemorySwap",
                            "MemorySwappiness",
                            "NanoCpus",
                            "OomKillDisable",
                            "Init",
                            "PidsLimit",
                            "Ulimits",
                            "CpuCount",
                            "CpuPercent",
                            "IOMaximumIOps",
                            "IOMaximumBandwidth",
                            "KernelMemory",
                            "KernelMemoryTCP")
                    .dangerous("CgroupParent", Judges.CGROUP_PARENT)
                    .dangerous("Devices", Judges.DEVICE_ACCESS)
                    .dangerous("DeviceCgroupRules", Judges.DEVICE_ACCESS)
                    .dangerous("DeviceRequests", Judges.DEVICE_ACCESS)
                    .build();

    static final Model MOUNT =
            Model.named("Mount")
                    .harmless("Target", "ReadOnly", "Consistency")
                    .judged("Source", JUDGED_WITH_ITS_ENTRY)
                    .judged("Type", JUDGED_WITH_ITS_ENTRY)
                    .nested(
                            "BindOptions",
                            Model.named("BindOptions")
                                    .judged("Propagation", JUDGED_WITH_ITS_ENTRY)
                                    .harmless(
                                            "NonRecursive",
                                            "CreateMountpoint",
                                            "ReadOnlyNonRecursive",
                                            "ReadOnlyForceRecursive")
                                    .build())
                    .nested(
                            "VolumeOptions",
                            Model.named("VolumeOptions")
                                    .harmless("NoCopy", "Labels", "Subpath")
                                    .nested(
                                            "DriverConfig",
                                            Model.named("DriverConfig")
                                                    .judged("Name", JUDGED_WITH_ITS_ENTRY)
                                                    .judged("Options", JUDGED_WITH_ITS_ENTRY)
                                                    .build())
                                    .build())
                    .nested("ImageOptions", Model.named("ImageOptions").harmless("Subpath").build())
                    .nested(
                            "TmpfsOptions",
                            Model.named("TmpfsOptions")
                                    .harmless("SizeBytes", "Mode", "Options")
                                    .build())
                    .build();

    /** {@code HostConfig}: what the container may do to the host. */
    public static final Model HOST_CONFIG =
            Model.named("HostConfig")
                    .embed(RESOURCES)
                    .harmless(
                            "ContainerIDFile",
                            "RestartPolicy",
                            "AutoRemove",
                            "ConsoleSize",
                            "CapDrop",
                            "Dns",
                            "DnsOptions",
                            "DnsSearch",
                            "ExtraHosts",
                            "GroupAdd",
                            "Links",
                            "OomScoreAdj",
                            "ReadonlyRootfs",
                            "StorageOpt",
                            "Tmpfs",
                            "ShmSize",
                            "Isolation")
                    .judged("Binds", Judges.BINDS)
                    .nested(
                            "LogConfig",
                            Model.named("LogConfig")
                                    .judged("Type", Judges.LOG_DRIVER)
                                    .harmless("Config")
                                    .build())
                    .judged("NetworkMode", Judges.NETWORK_MODE)
                    .judged("PortBindings", Judges.PUBLISHED_PORTS)
                    .judged("PublishAllPorts", Judges.PUBLISHED_PORTS)
                    .judged("VolumeDriver", Volumes.DRIVER)
                    .judged("VolumesFrom", Judges.VOLUMES_FROM)
                    .nested("Mounts", MOUNT, Model.Shape.LIST, Volumes.MOUNT)
                    .dangerous(
                            "Annotations",
                            Judges.dangerous(
                                    "passes annotations to the runtime, which can change how it "
                                            + "confines the container"))
                    .judged("CapAdd", Judges.CAPABILITY_ADD)
                    .judged("CgroupnsMode", Judges.HOST_ONLY_NAMESPACE)
                    .judged("IpcMode", Judges.SHARED_NAMESPACE)
                    .judged("Cgroup", Judges.SHARED_NAMESPACE)
                    .judged("PidMode", Judges.SHARED_NAMESPACE)
                    .dangerous("Privileged", Judges.PRIVILEGED_MODE)
                    .judged("SecurityOpt", Judges.SECURITY_OPT)
                    .judged("UTSMode", Judges.HOST_ONLY_NAMESPACE)
                    .judged("UsernsMode", Judges.HOST_ONLY_NAMESPACE)
                    .judged("Sysctls", Judges.SYSCTLS)
                    .judged("Runtime", Judges.RUNTIME)
                    .dangerous("MaskedPaths", Judges.SYSTEM_PATHS)
                    .dangerous("ReadonlyPaths", Judges.SYSTEM_PATHS)
                    .build();

    static final Model ENDPOINT_SETTINGS =
            Model.named("EndpointSettings")
                    .harmless(
                            "IPAMConfig",
                            "Links",
                            "MacAddress",
                            "Aliases",
                            "DriverOpts",
                            "GwPriority",
                            "NetworkID",
                            "EndpointID",
                            "Gateway",
                            "IPAddress",
                            "IPPrefixLen",
                            "IPv6Gateway",
                            "GlobalIPv6Address",
                            "GlobalIPv6PrefixLen",
                            "DNSNames")
                    .build();

    public static final Model NETWORKING_CONFIG =
            Model.named("NetworkingConfig")
                    .nested(
                            "EndpointsConfig",
                            ENDPOINT_SETTINGS,
                            Model.Shape.MAP,
                            Judges.ENDPOINT_NETWORKS)
                    .build();

    /**
     * The container-create body (the daemon's config wrapper): ContainerConfig at the top level,
     * with {@code HostConfig} and {@code NetworkingConfig}. When {@code HostConfig} is absent or
     * null the daemon reads HostConfig's fields from the top level too; {@link Admission} judges
     * them there.
     */
    public static final Model CONTAINER_CREATE =
            Model.named("ContainerCreateRequest")
                    .embed(CONTAINER_CONFIG)
                    .nested("HostConfig", HOST_CONFIG)
                    .nested("NetworkingConfig", NETWORKING_CONFIG)
                    .harmless("Cpuset")
                    .build();

    public static final Model CONTAINER_UPDATE =
            Model.named("ContainerUpdateRequest")
                    .embed(RESOURCES)
                    .harmless("RestartPolicy")
                    .build();

    public static final Model EXEC_CONFIG =
            Model.named("ExecConfig")
                    .harmless(
                            "AttachStdin",
                            "AttachStdout",
                            "AttachStderr",
                            "ConsoleSize",
                            "DetachKeys",
                            "Tty",
                            "Env",
                            "Cmd",
                            "WorkingDir",
                            "Detach")
                    .dangerous("Privileged", Judges.PRIVILEGED_MODE)
                    .judged("User", Judges.USER)
                    .build();

    /**
     * A swarm network attachment: the host's network is refused, others are looked up (as a
     * NetworkMode).
     */
    static final Model NETWORK_ATTACHMENT =
            Model.named("NetworkAttachmentConfig")
                    .judged("Target", Judges.NETWORK_MODE)
                    .harmless("Aliases", "DriverOpts")
                    .build();

    private static final Judge SELINUX =
            (value, at, check) -> {
                if (check.constraints().denySecurityOptions() && Check.set(value)) {
                    check.refuse(
                            at,
                            value,
                            "disables or changes the SELinux confinement",
                            Judges.SECURITY);
                }
            };

    private static Judge profileMode(String what) {
        return (value, at, check) -> {
            Object mode = StrictJson.at(value, "Mode");
            if (check.constraints().denySecurityOptions()
                    && Check.set(mode)
                    && !"default".equals(mode)) {
                check.refuse(
                        at.child("Mode"),
                        mode,
                        "changes the " + what + " confinement; only the default passes",
                        Judges.SECURITY);
            }
        };
    }

    static final Model PRIVILEGES =
            Model.named("Privileges")
                    .harmless("CredentialSpec", "NoNewPrivileges")
                    .judged("SELinuxContext", SELINUX)
                    .judged("Seccomp", profileMode("seccomp"))
                    .judged("AppArmor", profileMode("AppArmor"))
                    .build();

    static final Model CONTAINER_SPEC =
            Model.named("ContainerSpec")
                    .judged("Image", Judges.IMAGE)
                    .harmless(
                            "Labels",
                            "Command",
                            "Args",
                            "Hostname",
                            "Env",
                            "Dir",
                            "Groups",
                            "TTY",
                            "OpenStdin",
                            "ReadOnly",
                            "StopSignal",
                            "StopGracePeriod",
                            "HealthCheck",
                            "Hosts",
                            "DNSConfig",
                            "Secrets",
                            "Configs",
                            "Isolation",
                            "Init",
                            "CapabilityDrop",
                            "Ulimits",
                            "OomScoreAdj")
                    .judged("User", Judges.USER)
                    .nested("Privileges", PRIVILEGES)
                    .nested("Mounts", MOUNT, Model.Shape.LIST, Volumes.MOUNT)
                    .judged("Sysctls", Judges.SYSCTLS)
                    .judged("CapabilityAdd", Judges.CAPABILITY_ADD)
                    .build();

    private static final Judge TASK_RUNTIME =
            Judges.oneOf(Set.of("container"), "runs something other than a container task");

    static final Model TASK_SPEC =
            Model.named("TaskSpec")
                    .dangerous(
                            "PluginSpec",
                            Judges.whenSet(
                                    BodyConstraints::denyPrivileged,
                                    "installs a plugin on the "
                                            + "nodes with the privileges it asks for",
                                    Judges.PRIVILEGED))
                    .nested("ContainerSpec", CONTAINER_SPEC)
                    .harmless(
                            "NetworkAttachmentSpec",
                            "Resources",
                            "RestartPolicy",
                            "Placement",
                            "ForceUpdate")
                    .judged("Runtime", TASK_RUNTIME)
                    .nested("Networks", NETWORK_ATTACHMENT, Model.Shape.LIST, null)
                    .nested(
                            "LogDriver",
                            Model.named("LogDriver")
                                    .judged("Name", Judges.LOG_DRIVER)
                                    .harmless("Options")
                                    .build())
                    .build();

    public static final Model SERVICE_SPEC =
            Model.named("ServiceSpec")
                    .harmless("Name", "Labels", "Mode", "UpdateConfig", "RollbackConfig")
                    .nested("TaskTemplate", TASK_SPEC)
                    .nested("Networks", NETWORK_ATTACHMENT, Model.Shape.LIST, null)
                    .nested(
                            "EndpointSpec",
                            Model.named("EndpointSpec")
                                    .harmless("Mode")
                                    .nested(
                                            "Ports",
                                            Model.named("EndpointPortConfig")
                                                    .harmless(
                                                            "Name",
                                                            "Protocol",
                                                            "TargetPort",
                                                            "PublishMode")
                                                    .judged("PublishedPort", Judges.PUBLISHED_PORTS)
                                                    .build(),
                                            Model.Shape.LIST,
                                            null)
                                    .build())
                    .build();

    public static final Model VOLUME_CREATE =
            Model.named("VolumeCreateRequest")
                    .harmless("Name", "Labels")
                    .judged("Driver", Volumes.DRIVER)
                    .judged("DriverOpts", Volumes.LOCAL_OPTIONS)
                    .dangerous(
                            "ClusterVolumeSpec",
                            Judges.dangerous("creates a cluster volume through a CSI plugin"))
                    .build();

    /** The JSON-object bodies judged by model, by endpoint id. */
    public static final Map<String, Model> BY_ENDPOINT =
            Map.of(
                    "containers.create", CONTAINER_CREATE,
                    "containers.update", CONTAINER_UPDATE,
                    "containers.exec.create", EXEC_CONFIG,
                    "services.create", SERVICE_SPEC,
                    "services.update", SERVICE_SPEC,
                    "volumes.create", VOLUME_CREATE);

    /**
     * Endpoints whose body is a JSON array judged by {@link Admission}: plugin privileges and
     * settings.
     */
    public static final Set<String> ARRAY_BODIES =
            Set.of("plugins.pull", "plugins.upgrade", "plugins.set");

    private Bodies() {}
}
