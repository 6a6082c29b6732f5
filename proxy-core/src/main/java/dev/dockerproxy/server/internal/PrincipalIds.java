package dev.dockerproxy.server.internal;

import java.nio.file.attribute.UserPrincipal;

/**
 * Numeric ids of the user and group principals the JDK reports for a UNIX peer ({@code
 * SO_PEERCRED}). The JDK names principals by their passwd/group name and exposes the number only
 * through {@code hashCode()} of its Unix principal class (which returns the id when known); a
 * numeric name (no passwd entry) is parsed directly. Unknown ids are {@code -1}.
 */
final class PrincipalIds {

    private PrincipalIds() {}

    static long id(UserPrincipal principal) {
        if (principal == null) {
            return -1;
        }
        String name = principal.getName();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 11) {
            return Long.parseLong(name);
        }
        int hash = principal.hashCode();
        if (principal.getClass().getName().startsWith("sun.nio.fs.UnixUserPrincipals")
                && hash >= 0
                && hash != name.hashCode()) {
            return hash;
        }
        return -1;
    }
}
