package dev.dockerproxy.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats an {@link Instant} exactly as {@link Instant#toString()} does ({@code
 * 2026-11-28T17:00:00.123456789Z}, the fraction in groups of three digits, none when zero), without
 * running a {@link DateTimeFormatter} for every access log line: the date and time up to the second
 * is formatted once per second and reused.
 */
final class IsoInstant {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The last second formatted, and its text; replaced together. */
    private record Second(long epochSecond, String text) {}

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private IsoInstant() {}

    static String format(Instant t) {
        long sec = t.getEpochSecond();
        // years outside 0000..9999 get a sign or more digits from Instant.toString: leave them to
        // it
        if (sec < -62_167_219_200L || sec >= 253_402_300_800L) {
            return t.toString();
        }
        Second s = last;
        if (s.epochSecond() != sec) {
            s = new Second(sec, SECONDS.format(t));
            last = s;
        }
        int nano = t.getNano();
        StringBuilder b = new StringBuilder(s.text().length() + 11).append(s.text());
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) {
                appendPadded(b, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                appendPadded(b, nano / 1_000, 6);
            } else {
                appendPadded(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    private static void appendPadded(StringBuilder b, int value, int digits) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < digits; i++) {
            b.append('0');
        }
        b.append(v);
    }
}
