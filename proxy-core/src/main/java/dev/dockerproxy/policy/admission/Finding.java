package dev.dockerproxy.policy.admission;

/**
 * One thing a body asks for that its rule's constraints refuse.
 *
 * @param at where it is in the body
 * @param value the refused value, printable and short (empty when the place says enough)
 * @param why what it would do, in a few words
 * @param allowWith the body setting that would allow it, e.g. {@code deny-privileged: false}
 */
public record Finding(Place at, String value, String why, String allowWith) {

    /**
     * E.g. {@code HostConfig.Privileged=true: privileged mode gives root on the host (body setting
     * deny-privileged: false allows it)}.
     */
    public String describe() {
        String where = at.toString() + (value.isEmpty() ? "" : "=" + value);
        String note =
                at.topLevel() ? " (top level: the daemon reads it as " + at.field() + ")" : "";
        return where + note + ": " + why + " (" + allowWith + ")";
    }
}
