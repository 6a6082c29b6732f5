package dev.dockerproxy.policy.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of one JSON object the daemon decodes (a Go struct), each classified. Looked up by the
 * folded key, as Go's {@code encoding/json} matches keys. Built once, immutable after {@link
 * #build()}; thread-safe.
 */
public final class Model {

    /** How a field is treated. */
    public enum Kind {
        /** Cannot grant power whatever its value. */
        HARMLESS,
        /** Judged by its value (some values pass, some do not). */
        JUDGED,
        /** Refused whenever it is set, unless a setting allows it. */
        DANGEROUS,
        /** An object (or list or map of objects) whose own fields are classified. */
        NESTED
    }

    /**
     * One field: its name as the daemon spells it, its kind, an optional nested model (with the
     * shape of the value holding it) and an optional judge run on its value.
     */
    public record Field(String name, Kind kind, Model nested, Shape shape, Judge judge) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Where a nested model sits: the value itself, each element of a list, or each value of a map.
     */
    public enum Shape {
        OBJECT,
        LIST,
        MAP
    }

    private final String name;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private boolean built;

    private Model(String name) {
        this.name = name;
    }

    /** Starts a model named after the API spec's definition, e.g. {@code HostConfig}. */
    public static Model named(String name) {
        return new Model(name);
    }

    public String name() {
        return name;
    }

    public Model harmless(String... names) {
        for (String n : names) {
            add(new Field(n, Kind.HARMLESS, null, null, null));
        }
        return this;
    }

    public Model judged(String name, Judge judge) {
        return add(new Field(name, Kind.JUDGED, null, null, Objects.requireNonNull(judge)));
    }

    /** A field refused whenever it is set; {@code judge} says why and which setting allows it. */
    public Model dangerous(String name, Judge judge) {
        return add(new Field(name, Kind.DANGEROUS, null, null, Objects.requireNonNull(judge)));
    }

    public Model nested(String name, Model model) {
        return add(new Field(name, Kind.NESTED, model, Shape.OBJECT, null));
    }

    /**
     * A nested model with a judge that also looks at the whole value (e.g. a mount's type and
     * source together).
     */
    public Model nested(String name, Model model, Shape shape, Judge judge) {
        return add(new Field(name, Kind.NESTED, model, shape, judge));
    }

    /** Adds every field of another model (Go's struct embedding, e.g. Resources in HostConfig). */
    public Model embed(Model other) {
        other.fields.values().forEach(this::add);
        return this;
    }

    private Model add(Field f) {
        if (built) {
            throw new IllegalStateException("model " + name + " is already built");
        }
        if (fields.putIfAbsent(Keys.fold(f.name()), f) != null) {
            throw new IllegalStateException("model " + name + " classifies " + f.name() + " twice");
        }
        return this;
    }

    public Model build() {
        built = true;
        return this;
    }

    /**
     * The field a (folded) JSON key decodes into, or {@code null} when the daemon has no such
     * field.
     */
    public Field field(String foldedKey) {
        return fields.get(foldedKey);
    }

    /** Every field, in table order. */
    public List<Field> fields() {
        return List.copyOf(fields.values());
    }

    @Override
    public String toString() {
        return "Model[" + name + "]";
    }
}
