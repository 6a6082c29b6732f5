/**
 * Test plumbing shared by the modules' own tests, not published: {@link
 * dev.dockerproxy.testsupport.RawClient} (raw HTTP/1.1 over TCP or UNIX), {@link
 * dev.dockerproxy.testsupport.FakeUpstream} (a scripted raw-socket daemon), {@link
 * dev.dockerproxy.testsupport.WireReader} (HTTP framing for both), {@link
 * dev.dockerproxy.testsupport.DockerCli} (the real {@code docker} binary against a {@code
 * DOCKER_HOST}) and {@link dev.dockerproxy.testsupport.Poll} (waiting with a deadline). JDK only;
 * it must not depend on proxy-core, whose tests use it.
 */
package dev.dockerproxy.testsupport;
