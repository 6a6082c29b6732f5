package dev.dockerproxy.policy.admission;

/**
 * Object keys as Go's {@code encoding/json} matches them to struct fields: case-insensitively, with
 * Unicode simple folding ({@code ſ} U+017F is {@code s}, {@code K} U+212A is {@code k}). Kept apart
 * from {@link StrictJson} so that building the field table and judging queries load no JSON parser.
 * Stateless.
 */
final class Keys {

    private Keys() {}

    /**
     * The canonical folded form of a key: two keys the daemon reads as the same field fold alike.
     */
    static String fold(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        key.codePoints()
                .forEach(
                        cp -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return sb.toString();
    }
}
