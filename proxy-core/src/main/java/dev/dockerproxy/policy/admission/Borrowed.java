package dev.dockerproxy.policy.admission;

import java.util.List;

/**
 * Judges a container a body borrows from, by the state the daemon reports ({@code GET
 * /containers/{id}/json}): it must pass the same constraints as if it were created now. Stateless.
 */
final class Borrowed {

    private Borrowed() {}

    static void judgeContainer(Object state, Place at, Check check) {
        Object host = StrictJson.at(state, "HostConfig");
        Place h = at.child("HostConfig");
        judge(Judges.PRIVILEGED_MODE, host, "Privileged", h, check);
        judge(Judges.NETWORK_MODE, host, "NetworkMode", h, check);
        judge(Judges.SHARED_NAMESPACE, host, "PidMode", h, check);
        judge(Judges.SHARED_NAMESPACE, host, "IpcMode", h, check);
        judge(Judges.HOST_ONLY_NAMESPACE, host, "UTSMode", h, check);
        judge(Judges.HOST_ONLY_NAMESPACE, host, "UsernsMode", h, check);
        judge(Judges.CAPABILITY_ADD, host, "CapAdd", h, check);
        judge(Judges.DEVICE_ACCESS, host, "Devices", h, check);
        judge(Judges.DEVICE_ACCESS, host, "DeviceRequests", h, check);
        judge(Judges.DEVICE_ACCESS, host, "DeviceCgroupRules", h, check);
        judge(Judges.SECURITY_OPT, host, "SecurityOpt", h, check);
        judge(Judges.RUNTIME, host, "Runtime", h, check);
        judge(Judges.CGROUP_PARENT, host, "CgroupParent", h, check);
        Object masked = StrictJson.at(host, "MaskedPaths");
        if (masked instanceof List && ((List<?>) masked).isEmpty()) {
            Judges.SYSTEM_PATHS.judge(
                    masked, h.child("MaskedPaths"), check); // inspect shows [] when unconfined
        }
        List<?> mounts = check.list(StrictJson.at(state, "Mounts"), at.child("Mounts"));
        for (int i = 0; i < mounts.size(); i++) {
            Object m = mounts.get(i);
            Place p = at.child("Mounts").index(i);
            Object source = StrictJson.at(m, "Source");
            if ("bind".equals(StrictJson.at(m, "Type")) && source instanceof String) {
                HostPaths.judge(
                        (String) source,
                        Boolean.FALSE.equals(StrictJson.at(m, "RW")),
                        p.child("Source"),
                        check);
            } else if ("volume".equals(StrictJson.at(m, "Type"))
                    && StrictJson.at(m, "Name") instanceof String) {
                Volumes.namedVolume((String) StrictJson.at(m, "Name"), p.child("Name"), check);
            }
        }
    }

    private static void judge(Judge judge, Object host, String field, Place at, Check check) {
        Object value = StrictJson.at(host, field);
        if (!Check.absent(value)) {
            judge.judge(value, at.child(field), check);
        }
    }
}
