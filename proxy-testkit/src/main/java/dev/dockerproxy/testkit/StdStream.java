package dev.dockerproxy.testkit;

/** The streams of Docker's multiplexed stdio framing, with their stream-type byte. */
public enum StdStream {
    /** Standard input (0). */
    STDIN(0),
    /** Standard output (1). */
    STDOUT(1),
    /** Standard error (2). */
    STDERR(2),
    /** The daemon's own error messages (3), sent when the stream fails. */
    SYSTEMERR(3);

    private final int id;

    StdStream(int id) {
        this.id = id;
    }

    /** The stream-type byte in a frame header. */
    public int id() {
        return id;
    }

    /** The stream for a frame header's type byte. */
    public static StdStream of(int id) {
        for (StdStream s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a Docker stream type: " + id + " (expected 0..3)");
    }
}
