package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.Texts;

/**
 * Where a value sits in a body.
 *
 * @param shown the path shown in a refusal, with list indexes and map keys (e.g. {@code
 *     HostConfig.Binds[0]})
 * @param field the field's path in the daemon's model, as {@code allow-fields} names it (e.g.
 *     {@code HostConfig.Binds})
 * @param topLevel whether the value was read from the top level of a container-create body as a
 *     HostConfig field (the daemon's fallback for bodies without {@code HostConfig})
 */
public record Place(String shown, String field, boolean topLevel) {

    /** The root of a body. */
    public static final Place ROOT = new Place("", "", false);

    /** The place of a field of the object at this place. */
    public Place child(String name) {
        return new Place(
                shown.isEmpty() ? name : shown + "." + name,
                field.isEmpty() ? name : field + "." + name,
                topLevel);
    }

    /**
     * A field read from the top level of a body but decoded into the model at {@code modelPath}.
     */
    public static Place fallback(String name, String modelPath) {
        return new Place(name, modelPath + "." + name, true);
    }

    /** An element of the list at this place. */
    public Place index(int i) {
        return new Place(shown + "[" + i + "]", field, topLevel);
    }

    /** A value of the map at this place. */
    public Place key(String key) {
        return new Place(shown + "[\"" + Texts.printable(key) + "\"]", field, topLevel);
    }

    /**
     * A place in another object the body borrows from, e.g. a container named in {@code
     * VolumesFrom}.
     */
    public Place borrowed(String what) {
        return new Place(shown + " (" + what + ")", field, topLevel);
    }

    @Override
    public String toString() {
        return shown.isEmpty() ? "the body" : shown;
    }
}
