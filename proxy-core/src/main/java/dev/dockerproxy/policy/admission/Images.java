package dev.dockerproxy.policy.admission;

import java.util.List;

/**
 * Matches image references against an allowlist the way the daemon names images: {@code nginx} is
 * {@code docker.io/library/nginx}, {@code me/app} is {@code docker.io/me/app}. An entry is a
 * repository (any tag), a reference with a tag, or a prefix ending in {@code /} or {@code *}. Image
 * ids cannot be matched to a name and never pass an allowlist. Stateless.
 */
public final class Images {

    private Images() {}

    /** Whether {@code reference} is allowed by one of {@code allowed}. */
    public static boolean allowed(String reference, List<String> allowed) {
        String ref = reference.trim();
        if (ref.isEmpty() || ref.startsWith("sha256:") || ref.matches("[0-9a-f]{12,64}")) {
            return false;
        }
        String full = normalize(ref);
        for (String entry : allowed) {
            String e = entry.trim();
            if (e.endsWith("*") || e.endsWith("/")) {
                if (full.startsWith(
                        qualify(e.endsWith("*") ? e.substring(0, e.length() - 1) : e))) {
                    return true;
                }
            } else if (hasTagOrDigest(e)
                    ? normalize(e).equals(full)
                    : repository(normalize(e)).equals(repository(full))) {
                return true;
            }
        }
        return false;
    }

    /** {@code nginx} to {@code docker.io/library/nginx:latest}; a tag or digest is kept. */
    static String normalize(String ref) {
        String r = qualify(ref);
        return hasTagOrDigest(r) ? r : r + ":latest";
    }

    /**
     * Adds the registry and namespace the daemon assumes: {@code docker.io/} and, for one-part
     * names, {@code library/}.
     */
    private static String qualify(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + ref;
        }
        String first = ref.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                ? ref
                : "docker.io/" + ref;
    }

    private static boolean hasTagOrDigest(String ref) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        return name.contains(":") || name.contains("@");
    }

    /** The repository of a normalised reference, without tag or digest. */
    static String repository(String normalized) {
        int at = normalized.indexOf('@');
        String r = at < 0 ? normalized : normalized.substring(0, at);
        int slash = r.lastIndexOf('/');
        int colon = r.lastIndexOf(':');
        return colon > slash ? r.substring(0, colon) : r;
    }
}
