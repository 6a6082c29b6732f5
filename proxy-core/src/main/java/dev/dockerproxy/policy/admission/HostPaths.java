package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.BodyConstraints;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Judges host paths a body would mount into a container (bind sources, a local volume's bind
 * device), after cleaning them as the kernel resolves them ({@code //}, {@code .} and {@code ..}).
 *
 * <p>Refused, unless a setting names them: the Docker socket (the usual paths and the socket the
 * proxy forwards to) and every directory above it; the host's root; anything at, under or above a
 * protected root ({@link #PROTECTED_ROOTS}). The time-zone files pass when mounted read-only.
 * Symbolic links on the host are not resolved: the proxy may not see the host's file system.
 */
public final class HostPaths {

    /** Where a bind mount gives a container power over the host, or the host's secrets. */
    public static final List<String> PROTECTED_ROOTS =
            List.of(
                    "/proc",
                    "/sys",
                    "/dev",
                    "/etc",
                    "/root",
                    "/boot",
                    "/usr",
                    "/bin",
                    "/sbin",
                    "/lib",
                    "/lib32",
                    "/lib64",
                    "/libx32",
                    "/run",
                    "/var/run",
                    "/var/lib/docker",
                    "/var/lib/containerd",
                    "/var/lib/kubelet");

    /** The Docker socket where daemons usually put it. */
    public static final List<String> DOCKER_SOCKETS =
            List.of("/var/run/docker.sock", "/run/docker.sock");

    /** Host files that tell only the time zone: fine to mount read-only. */
    private static final Set<String> READ_ONLY_HARMLESS = Set.of("/etc/localtime", "/etc/timezone");

    private static final String ZONEINFO = "/usr/share/zoneinfo";

    private HostPaths() {}

    /** Judges one host path; refusals go to the check. */
    public static void judge(String source, boolean readOnly, Place at, Check check) {
        BodyConstraints c = check.constraints();
        if (!source.startsWith("/")) {
            check.refuse(at, source, "is not an absolute host path", "use an absolute path");
            return;
        }
        String path = normalize(source);
        if (isDockerSocket(path, check)) {
            if (c.denyDockerSocket()) {
                check.refuse(
                        at,
                        source,
                        "is the Docker socket or a directory above it: the container could "
                                + "control the daemon and so the host",
                        "body setting deny-docker-socket: false allows it");
            }
            return;
        }
        boolean named = namedExplicitly(path, c.bindSources());
        if (!named && !(readOnly && readOnlyHarmless(path))) {
            String root = protectedRoot(path);
            if (root != null) {
                String where =
                        path.equals("/")
                                ? "is the host's root directory"
                                : under(path, root)
                                        ? "is at or under the protected host path " + root
                                        : "is a directory above the protected host path " + root;
                check.refuse(
                        at,
                        source,
                        where,
                        "body setting bind-sources naming this path (or a directory under "
                                + root
                                + " that holds it) allows it");
                return;
            }
        }
        if (c.bindSources() != null && !named) {
            check.refuse(
                    at,
                    source,
                    "is outside the allowed bind sources " + c.bindSources(),
                    "body setting bind-sources: [a directory that holds it] allows it");
        }
    }

    private static boolean isDockerSocket(String path, Check check) {
        if (path.endsWith("/docker.sock")) {
            return true;
        }
        List<String> sockets = new ArrayList<>(DOCKER_SOCKETS);
        check.daemon().socketPaths().forEach(s -> sockets.add(normalize(s)));
        for (String socket : sockets) {
            if (under(socket, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An allowed bind source other than {@code /} that holds the path: the administrator named it.
     */
    private static boolean namedExplicitly(String path, List<String> bindSources) {
        if (bindSources == null) {
            return false;
        }
        for (String allowed : bindSources) {
            if (!allowed.equals("/") && under(path, allowed)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readOnlyHarmless(String path) {
        return READ_ONLY_HARMLESS.contains(path) || under(path, ZONEINFO);
    }

    /** The protected root the path is at, under or above, or {@code null}. */
    static String protectedRoot(String path) {
        if (path.equals("/")) {
            return "/";
        }
        for (String root : PROTECTED_ROOTS) {
            if (under(path, root) || under(root, path)) {
                return root;
            }
        }
        return null;
    }

    /** Whether {@code path} is {@code dir} or lies under it (both normalised). */
    static boolean under(String path, String dir) {
        return path.equals(dir) || dir.equals("/") || path.startsWith(dir + "/");
    }

    /**
     * Collapses {@code //} and {@code /./} and resolves {@code ..} lexically, as the kernel would
     * without links.
     */
    public static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(seg);
        }
        return "/" + String.join("/", out);
    }
}
