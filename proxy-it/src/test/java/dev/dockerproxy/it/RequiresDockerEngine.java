package dev.dockerproxy.it;

import dev.dockerproxy.testsupport.DockerCli;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an end-to-end test class (or method) that needs the real Docker Engine: tags it {@code e2e}
 * and adds {@link DockerEngineExtension}, which skips it unless {@code -Ddockerproxy.e2e=true}, and
 * otherwise starts the shared engine (or fails with dockerd's log) and injects {@link DockerEngine}
 * and {@link DockerCli} parameters.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("e2e")
@ExtendWith(DockerEngineExtension.class)
public @interface RequiresDockerEngine {}
