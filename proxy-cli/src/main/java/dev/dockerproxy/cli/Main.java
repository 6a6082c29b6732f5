package dev.dockerproxy.cli;

/** Entry point of the runnable jar. */
public final class Main {

    /**
     * picocli's built-in converters this jar never needs, as the value of picocli's {@code
     * picocli.converters.excludes} property: every command line picocli builds otherwise looks up
     * the {@code java.sql} and {@code java.time} types by reflection (~60 classes, ~1 MB of a
     * serving proxy's RSS). No option has such a type without its own converter (durations use
     * {@link DurationConverter}); {@code MainTest} checks that.
     */
    static final String CONVERTER_EXCLUDES = "java\\.sql\\..*,java\\.time\\..*";

    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", CONVERTER_EXCLUDES);
        }
        System.exit(DockerSocketProxyCommand.execute(System.getenv(), args));
    }
}
