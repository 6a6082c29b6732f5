/**
 * The forwarding server and its embedding API.
 *
 * <p>{@link dev.dockerproxy.server.ProxyConfig} (immutable, built once) describes listeners ({@link
 * dev.dockerproxy.server.ListenAddress}), the daemon ({@link
 * dev.dockerproxy.server.UpstreamAddress}), the {@link dev.dockerproxy.policy.Policy}, limits and a
 * {@link dev.dockerproxy.server.ProxyListener}; {@link dev.dockerproxy.server.DockerSocketProxy}
 * runs it. Every request head on every connection is parsed strictly by the proxy, judged by the
 * policy, and either answered with Docker's error JSON or forwarded with the canonical target and a
 * re-framed body; the body of a write that can grant power is read, judged by admission control
 * (see {@link dev.dockerproxy.policy.BodyConstraints}) and forwarded as judged, and objects it
 * borrows from are looked up on the daemon. Answers pass the configured {@link
 * dev.dockerproxy.server.ResponseStage}s (whole, when a stage inspects them) or stream as they
 * arrive (a daemon's chunked answer chunk for chunk, a small answer with its head in one write);
 * allowed hijack endpoints become raw tunnels with half-close.
 *
 * <p>Limits, stated honestly: this is a request filter in front of the daemon, not a sandbox; an
 * allowed endpoint can do whatever the daemon lets it do within the policy's body constraints.
 * Request bodies are bounded by {@code maxRequestBody}, declared lengths up front and chunked
 * bodies when they cross it. Upstream TLS is not supported.
 */
package dev.dockerproxy.server;
