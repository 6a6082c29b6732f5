package dev.dockerproxy.policy.admission;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges volumes: the local driver's options (where {@code o=bind,device=X} is a bind of host path
 * {@code X}), volume drivers, named volumes a container mounts, and mount entries. Stateless.
 */
final class Volumes {

    private Volumes() {}

    /** {@code Driver} of a volume: only the daemon's local driver; a plugin can do anything. */
    static final Judge DRIVER =
            Judges.oneOf(
                    Set.of("local"),
                    "is a volume plugin, which can mount anything on " + "the host");

    /**
     * The local driver's options: a bind of a host path is judged as one; a device or file system
     * is refused.
     */
    static final Judge LOCAL_OPTIONS =
            (value, at, check) -> {
                if (!(value instanceof Map)) {
                    check.refuse(at, value, "is not a JSON object", "send a JSON object");
                    return;
                }
                Map<?, ?> opts = (Map<?, ?>) value;
                Object device = opts.get("device");
                if (!Check.set(device)) {
                    return;
                }
                Object o = opts.get("o");
                List<String> options =
                        o instanceof String ? List.of(((String) o).split(",")) : List.of();
                Place p = at.key("device");
                if (options.contains("bind") || options.contains("rbind")) {
                    if (device instanceof String) {
                        HostPaths.judge((String) device, options.contains("ro"), p, check);
                    } else {
                        check.refuse(p, device, "is not a string", "send a host path");
                    }
                } else if (!"tmpfs".equals(opts.get("type"))) {
                    check.refuse(
                            p,
                            device,
                            "mounts a host device or a network file system into the volume",
                            Check.allowFieldHint(at));
                }
            };

    /**
     * A named volume a container mounts: if it exists, its options are judged as if created now.
     */
    static void namedVolume(String name, Place at, Check check) {
        if (name.isEmpty()) {
            return;
        }
        Optional<Object> volume = check.volume(name, at);
        if (volume.isEmpty()) {
            return; // a new volume the daemon creates with the local driver and no options
        }
        Place p = at.borrowed("volume " + name);
        DRIVER.judge(
                String.valueOf(StrictJson.at(volume.get(), "Driver")), p.child("Driver"), check);
        Object options = StrictJson.at(volume.get(), "Options");
        if (Check.set(options)) {
            LOCAL_OPTIONS.judge(options, p.child("Options"), check);
        }
    }

    /** One entry of {@code Mounts}: what its type makes of its source. */
    static final Judge MOUNT =
            (value, at, check) -> {
                List<?> mounts = check.list(value, at);
                for (int i = 0; i < mounts.size(); i++) {
                    mount(mounts.get(i), at.index(i), check);
                }
            };

    private static void mount(Object mount, Place at, Check check) {
        Object type = StrictJson.at(mount, "Type");
        Object source = StrictJson.at(mount, "Source");
        String src = source instanceof String ? (String) source : "";
        switch (type instanceof String ? (String) type : "") {
            case "bind":
                HostPaths.judge(
                        src,
                        Boolean.TRUE.equals(StrictJson.at(mount, "ReadOnly")),
                        at.child("Source"),
                        check);
                Judges.sharedPropagation(
                        StrictJson.at(mount, "BindOptions", "Propagation"),
                        at.child("BindOptions").child("Propagation"),
                        check);
                break;
            case "volume":
                namedVolume(src, at.child("Source"), check);
                Object driver = StrictJson.at(mount, "VolumeOptions", "DriverConfig", "Name");
                Place driverAt = at.child("VolumeOptions").child("DriverConfig");
                if (!Check.absent(driver)) {
                    DRIVER.judge(driver, driverAt.child("Name"), check);
                }
                Object options = StrictJson.at(mount, "VolumeOptions", "DriverConfig", "Options");
                if (Check.set(options)) {
                    LOCAL_OPTIONS.judge(options, driverAt.child("Options"), check);
                }
                break;
            case "tmpfs":
                break;
            case "image":
                Judges.IMAGE.judge(source, at.child("Source"), check);
                break;
            default:
                check.refuse(
                        at.child("Type"),
                        type,
                        "is not a mount type the proxy judges (bind, volume, tmpfs, " + "image)",
                        Check.allowFieldHint(at));
        }
    }
}
