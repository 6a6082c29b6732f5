package dev.dockerproxy.it.faults;

import java.time.Duration;

/**
 * The sizes the fault and longevity suite runs with. The defaults are the sizes the issue asks for
 * where they fit the CI budget; {@code -Ddockerproxy.faults.full=true} forces the full sizes; each
 * size can be set on its own.
 *
 * <pre>
 * -Ddockerproxy.faults.full=true              5,000 connections, 1,000 /events streams, 1 GiB transfers
 * -Ddockerproxy.faults.connections=N          concurrent connections            (default 5000)
 * -Ddockerproxy.faults.eventStreams=N         concurrent /events streams        (default 1000)
 * -Ddockerproxy.faults.bulkMiB=N              upload and download size, MiB     (default 1024)
 * -Ddockerproxy.faults.burst=N                vanishing clients per kind        (default 40)
 * -Ddockerproxy.longevity.quiet=PT2M          longevity quiet period (ISO-8601) (default PT2M; long profile PT1H)
 * </pre>
 */
final class FaultSizes {

    static final boolean FULL = Boolean.getBoolean("dockerproxy.faults.full");

    static final int CONNECTIONS = intProp("dockerproxy.faults.connections", 5000, 5000);
    static final int EVENT_STREAMS = intProp("dockerproxy.faults.eventStreams", 1000, 1000);
    static final long BULK_BYTES =
            intProp("dockerproxy.faults.bulkMiB", 1024, 1024) * 1024L * 1024L;
    static final int BURST = intProp("dockerproxy.faults.burst", 40, 200);
    static final Duration QUIET =
            Duration.parse(System.getProperty("dockerproxy.longevity.quiet", "PT2M"));

    private FaultSizes() {}

    private static int intProp(String name, int defaultSize, int fullSize) {
        String v = System.getProperty(name);
        if (v != null && !v.isBlank()) {
            return Integer.parseInt(v.trim());
        }
        return FULL ? Math.max(defaultSize, fullSize) : defaultSize;
    }

    static String describe() {
        return "connections="
                + CONNECTIONS
                + ", eventStreams="
                + EVENT_STREAMS
                + ", bulk="
                + (BULK_BYTES >> 20)
                + " MiB, burst="
                + BURST
                + ", quiet="
                + QUIET
                + (FULL ? " (full profile)" : "");
    }
}
