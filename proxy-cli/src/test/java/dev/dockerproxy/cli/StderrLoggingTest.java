package dev.dockerproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class StderrLoggingTest {

    private static final String TIME =
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    @Test
    void theJarsProviderIsThisOne() {
        assertThat(
                        LoggerFactory.getLogger("dev.dockerproxy.server.internal.Acceptor")
                                .getClass()
                                .getName())
                .startsWith(StderrLogging.class.getName());
    }

    @Test
    void warnLineHasTimeLevelShortNameAndFormattedMessage() {
        Logger log = StderrLogging.logger("dev.dockerproxy.server.internal.Acceptor", null);
        String err =
                stderrOf(() -> log.warn("accept failed on {}: {}", "tcp://127.0.0.1:2375", "boom"));
        assertThat(err)
                .matches(TIME + " WARN Acceptor - accept failed on tcp://127.0.0.1:2375: boom\\R");
    }

    @Test
    void errorWithThrowablePrintsTheStackTrace() {
        Logger log =
                StderrLogging.logger("dev.dockerproxy.server.internal.ConnectionHandler", "warn");
        String err =
                stderrOf(
                        () ->
                                log.error(
                                        "policy failed on a request; denying it",
                                        new IllegalStateException("bad")));
        assertThat(err)
                .containsPattern(
                        "^"
                                + TIME
                                + " ERROR ConnectionHandler - policy failed on a request; denying it\\R"
                                + "java.lang.IllegalStateException: bad\\R\\s+at ");
    }

    @Test
    void levelIsWarnByDefaultAndFollowsTheSimpleLoggerProperty() {
        Logger byDefault = StderrLogging.logger("a.B", null);
        assertThat(byDefault.isWarnEnabled()).isTrue();
        assertThat(byDefault.isInfoEnabled()).isFalse();
        assertThat(stderrOf(() -> byDefault.debug("connection from {} ended: {}", "x", "y")))
                .isEmpty();

        Logger debug = StderrLogging.logger("a.B", "DEBUG");
        assertThat(debug.isDebugEnabled()).isTrue();
        assertThat(debug.isTraceEnabled()).isFalse();
        assertThat(stderrOf(() -> debug.debug("connection from {} ended: {}", "x", "y")))
                .matches(TIME + " DEBUG B - connection from x ended: y\\R");

        Logger off = StderrLogging.logger("a.B", "off");
        assertThat(off.isErrorEnabled()).isFalse();
        assertThat(stderrOf(() -> off.error("nothing"))).isEmpty();
    }

    private static String stderrOf(Runnable r) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
