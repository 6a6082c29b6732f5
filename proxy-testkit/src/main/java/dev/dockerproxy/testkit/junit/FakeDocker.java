package dev.dockerproxy.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a started {@link dev.dockerproxy.testkit.FakeDockerDaemon} into a field or parameter;
 * JUnit closes it.
 *
 * <pre>{@code
 * class MyTest {
 *     @FakeDocker FakeDockerDaemon daemon;          // a fresh daemon for each test
 *     @FakeDocker static FakeDockerDaemon shared;   // one daemon for the whole class
 *
 *     @Test void listsContainers(@FakeDocker FakeDockerDaemon same) { ... } // the same daemon as the field
 * }
 * }</pre>
 *
 * For options (reset between tests, fail on unanswered requests) register {@link
 * FakeDockerExtension#builder()} with {@code @RegisterExtension} instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(FakeDockerExtension.class)
public @interface FakeDocker {
    /** Listen on a loopback TCP port instead of a UNIX socket. */
    boolean tcp() default false;
}
