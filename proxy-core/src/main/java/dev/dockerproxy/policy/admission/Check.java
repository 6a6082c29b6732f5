package dev.dockerproxy.policy.admission;

import dev.dockerproxy.policy.BodyConstraints;
import dev.dockerproxy.policy.DaemonView;
import dev.dockerproxy.policy.Texts;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One body being judged: the rule's constraints, the daemon to ask about borrowed objects, and what
 * was refused so far. Walks a decoded body against its {@link Model}. Not thread-safe; one per
 * request.
 */
public final class Check {

    /**
     * How many containers deep a borrowing chain is followed ({@code container:a} whose a uses
     * {@code container:b} ...).
     */
    private static final int MAX_BORROW_DEPTH = 3;

    private final BodyConstraints constraints;
    private final DaemonView daemon;
    private final int depth;
    private final List<Finding> findings = new ArrayList<>();

    public Check(BodyConstraints constraints, DaemonView daemon) {
        this(constraints, daemon, 0);
    }

    private Check(BodyConstraints constraints, DaemonView daemon, int depth) {
        this.constraints = constraints;
        this.daemon = daemon;
        this.depth = depth;
    }

    public BodyConstraints constraints() {
        return constraints;
    }

    public DaemonView daemon() {
        return daemon;
    }

    /** What was refused, in body order. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /**
     * Walks an object against its model: unknown fields are refused, known ones judged by their
     * kind.
     */
    public void walk(Object value, Model model, Place at) {
        if (absent(value)) {
            return;
        }
        if (!(value instanceof StrictJson.JsonObject)) {
            refuse(
                    at,
                    value,
                    "is not a JSON object, so the proxy cannot read it as " + model.name(),
                    "send a JSON object");
            return;
        }
        StrictJson.JsonObject object = (StrictJson.JsonObject) value;
        for (Map.Entry<String, Object> e : object.entrySet()) {
            Model.Field f = model.field(e.getKey());
            visit(
                    f,
                    e.getValue(),
                    at.child(f == null ? Texts.printable(object.spelled(e.getKey())) : f.name()));
        }
    }

    /** Judges one field's value at a place (for models whose places are not plain children). */
    public void visit(Model.Field f, Object value, Place at) {
        if (allowed(at)) {
            return;
        }
        if (f == null) {
            refuse(
                    at,
                    null,
                    "a field the proxy does not know; it refuses what it cannot judge",
                    allowFieldHint(at));
            return;
        }
        if (absent(value) || f.kind() == Model.Kind.HARMLESS) {
            return;
        }
        if (f.kind() == Model.Kind.NESTED) {
            walkNested(f, value, at);
        }
        if (f.judge() != null) {
            f.judge().judge(value, at, this);
        }
    }

    private void walkNested(Model.Field f, Object value, Place at) {
        switch (f.shape()) {
            case OBJECT:
                walk(value, f.nested(), at);
                break;
            case LIST:
                List<?> list = list(value, at);
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), f.nested(), at.index(i));
                }
                break;
            default:
                if (!(value instanceof StrictJson.JsonObject)) {
                    refuse(at, value, "is not a JSON object", "send a JSON object");
                    return;
                }
                StrictJson.JsonObject map = (StrictJson.JsonObject) value;
                map.forEach((k, v) -> walk(v, f.nested(), at.key(map.spelled(k))));
                break;
        }
    }

    /** The value as a list; anything else but null is refused (the daemon would not decode it). */
    public List<?> list(Object value, Place at) {
        if (value instanceof List) {
            return (List<?>) value;
        }
        if (!absent(value)) {
            refuse(
                    at,
                    value,
                    "is not a JSON array, so the proxy cannot judge it",
                    "send a JSON array");
        }
        return List.of();
    }

    /** Records a refusal. */
    public void refuse(Place at, Object value, String why, String allowWith) {
        findings.add(new Finding(at, show(value), why, allowWith));
    }

    /** Whether {@code allow-fields} names this field or an object holding it. */
    public boolean allowed(Place at) {
        for (String allowed : constraints.allowFields()) {
            if (at.field().equals(allowed) || at.field().startsWith(allowed + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The setting that allows a field whatever its value. */
    public static String allowFieldHint(Place at) {
        return "body setting allow-fields: [" + at.field() + "] allows it";
    }

    /**
     * Judges a container the body borrows from ({@code VolumesFrom}, {@code container:<id>}) by its
     * state, asking the daemon: it must pass these constraints itself.
     */
    public void borrowContainer(String ref, Place at) {
        String hint = "a container that passes these constraints itself, or " + allowFieldHint(at);
        if (depth >= MAX_BORROW_DEPTH) {
            refuse(
                    at,
                    ref,
                    "borrows through more than "
                            + MAX_BORROW_DEPTH
                            + " containers; the proxy does not follow "
                            + "such chains",
                    hint);
            return;
        }
        Optional<Object> state =
                lookUp("/containers/" + encode(ref) + "/json", "container", ref, at, hint);
        if (state.isEmpty()) {
            return;
        }
        Check inner = new Check(constraints, daemon, depth + 1);
        Borrowed.judgeContainer(
                state.get(), at.borrowed("container " + Texts.printable(ref)), inner);
        findings.addAll(inner.findings);
    }

    /**
     * Judges a user-defined network a container or service joins: the host's network is refused.
     */
    public void borrowNetwork(String ref, Place at) {
        String hint = "body setting deny-host-namespaces: false allows it";
        if (!constraints.denyHostNamespaces()) {
            return;
        }
        Optional<Object> state = lookUp("/networks/" + encode(ref), "network", ref, at, hint);
        if (state.isPresent() && "host".equals(StrictJson.at(state.get(), "Driver"))) {
            refuse(
                    at,
                    ref,
                    "is the host's network (driver host): the container would share the host's network "
                            + "namespace",
                    hint);
        }
    }

    /**
     * Reads a volume the body uses by name; empty when it does not exist yet (the daemon creates a
     * plain one).
     */
    public Optional<Object> volume(String name, Place at) {
        try {
            Optional<byte[]> body = daemon.get("/volumes/" + encode(name));
            return body.isEmpty()
                    ? Optional.empty()
                    : Optional.ofNullable(StrictJson.parse(body.get()));
        } catch (IOException | StrictJson.RefusedBodyException e) {
            refuse(
                    at,
                    name,
                    "the proxy could not ask the daemon about this volume ("
                            + Texts.printable(e.getMessage())
                            + "); it judges a volume by its options",
                    allowFieldHint(at));
            return Optional.empty();
        }
    }

    private Optional<Object> lookUp(String path, String kind, String ref, Place at, String hint) {
        try {
            Optional<byte[]> body = daemon.get(path);
            if (body.isEmpty()) {
                refuse(
                        at,
                        ref,
                        "no such "
                                + kind
                                + "; the proxy judges what a body borrows by the "
                                + kind
                                + "'s state, so it must exist",
                        hint);
                return Optional.empty();
            }
            return Optional.ofNullable(StrictJson.parse(body.get()));
        } catch (IOException | StrictJson.RefusedBodyException e) {
            refuse(
                    at,
                    ref,
                    "the proxy could not ask the daemon about this "
                            + kind
                            + " ("
                            + Texts.printable(e.getMessage())
                            + "); it judges what a body borrows by its state",
                    hint);
            return Optional.empty();
        }
    }

    private static String encode(String ref) {
        return URLEncoder.encode(ref, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** JSON null or nothing: the daemon keeps its default. */
    public static boolean absent(Object value) {
        return value == null || value == StrictJson.NULL;
    }

    /** Whether a value asks for something: not null, false, zero, "" or empty. */
    public static boolean set(Object value) {
        if (absent(value) || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue() != 0;
        }
        if (value instanceof String) {
            return !((String) value).isEmpty();
        }
        if (value instanceof List) {
            return !((List<?>) value).isEmpty();
        }
        if (value instanceof Map) {
            return !((Map<?, ?>) value).isEmpty();
        }
        return true;
    }

    /** A short printable form of a value for messages. */
    public static String show(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String) {
            return "\"" + Texts.printable((String) value) + "\"";
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).isEmpty() ? "{}" : "{...}";
        }
        if (value instanceof List) {
            return ((List<?>) value).isEmpty() ? "[]" : "[...]";
        }
        return Texts.printable(String.valueOf(value));
    }
}
