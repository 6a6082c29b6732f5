package dev.dockerproxy.cli;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the runnable jar: proxy-core's own messages on standard error, level {@code
 * warn} by default, in the format slf4j-simple printed with the settings this CLI used: {@code
 * 2026-11-28T17:00:00.123Z WARN Acceptor - accept failed on ...} (then the stack trace, if any).
 *
 * <p>It replaces slf4j-simple to keep the idle process small: slf4j-simple builds a {@code
 * SimpleDateFormat} as it starts, which loads the locale data (CLDR providers, ~1,000 {@code
 * Locale} objects) and costs ~1 MB of RSS in a proxy that may never log anything. Here the
 * time-stamp formatter is made on the first message. The level can still be changed with the system
 * property slf4j-simple read, {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} ({@code
 * trace}, {@code debug}, {@code info}, {@code warn}, {@code error}, {@code off}).
 */
public final class StderrLogging implements SLF4JServiceProvider {

    /**
     * The system property that sets the level (slf4j-simple's name, so existing set-ups keep
     * working).
     */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public StderrLogging() {}

    @Override
    public void initialize() {
        int threshold = threshold(System.getProperty(LEVEL_PROPERTY));
        loggerFactory = name -> new StderrLogger(name, threshold);
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    /** The lowest {@link Level#toInt()} that is printed; above {@code ERROR} for {@code off}. */
    static int threshold(String level) {
        if (level == null) {
            return Level.WARN.toInt();
        }
        switch (level.trim().toLowerCase(Locale.ROOT)) {
            case "trace":
                return Level.TRACE.toInt();
            case "debug":
                return Level.DEBUG.toInt();
            case "info":
                return Level.INFO.toInt();
            case "error":
                return Level.ERROR.toInt();
            case "off":
                return Level.ERROR.toInt() + 1;
            default:
                return Level.WARN.toInt();
        }
    }

    /** One line per message: time, level, the logger's short name, the formatted message. */
    static String line(
            String time, Level level, String shortName, String messagePattern, Object[] arguments) {
        return time
                + ' '
                + level.name()
                + ' '
                + shortName
                + " - "
                + MessageFormatter.basicArrayFormat(messagePattern, arguments);
    }

    private static final class StderrLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;
        private static final Object LOCK = new Object();

        private final String shortName;
        private final int threshold;

        StderrLogger(String name, int threshold) {
            this.name = name;
            this.shortName = name.substring(name.lastIndexOf('.') + 1);
            this.threshold = threshold;
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level,
                Marker marker,
                String messagePattern,
                Object[] arguments,
                Throwable throwable) {
            if (!enabled(level)) {
                return;
            }
            String text = line(Timestamps.now(), level, shortName, messagePattern, arguments);
            PrintStream err = System.err;
            synchronized (LOCK) {
                err.println(text);
                if (throwable != null) {
                    throwable.printStackTrace(err);
                }
                err.flush();
            }
        }
    }

    /**
     * The time-stamp format, built on the first message (java.time: no locale data for these
     * fields).
     */
    private static final class Timestamps {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

        static String now() {
            return FORMAT.format(ZonedDateTime.now());
        }
    }

    /** For tests: a logger as the provider makes them. */
    static Logger logger(String name, String level) {
        return new StderrLogger(name, threshold(level));
    }
}
