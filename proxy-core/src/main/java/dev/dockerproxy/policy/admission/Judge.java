package dev.dockerproxy.policy.admission;

/** Judges one field's value; reports what it refuses to the {@link Check}. */
@FunctionalInterface
public interface Judge {

    /**
     * @param value the decoded value (never {@code null}; JSON null is {@link StrictJson#NULL})
     * @param at where the value is, as shown and as named in {@code allow-fields}
     * @param check the check in progress: settings, findings, the daemon
     */
    void judge(Object value, Place at, Check check);
}
