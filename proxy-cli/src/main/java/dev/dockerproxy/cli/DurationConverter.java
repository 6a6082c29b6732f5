package dev.dockerproxy.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Parses durations such as {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is
 * seconds.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException(
                        "'" + Escaping.printable(value) + "' must be positive, e.g. 10s");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException(
                    "'"
                            + Escaping.printable(value)
                            + "' is not a duration; use a number with ms, s, m or h, e.g. 10s or 500ms");
        }
    }

    /** The short form used in reports, e.g. {@code 10s} or {@code 500ms}. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
