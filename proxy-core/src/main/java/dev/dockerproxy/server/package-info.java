/**
 * The forwarding server and its embedding API.
 *
 * <p>{@link dev.dockerproxy.server.ProxyConfig} (immutable, built once) describes listeners
 * ({@link dev.dockerproxy.server.ListenAddress}), the daemon
 * ({@link dev.dockerproxy.server.UpstreamAddress}), the {@link dev.dockerproxy.policy.Policy}, limits
 * and a {@link dev.dockerproxy.server.ProxyListener}; {@link dev.dockerproxy.server.DockerSocketProxy}
 * runs it. Every request head on every connection is parsed strictly by the proxy, judged by the
 * policy, and either answered with Docker's error JSON or forwarded with the canonical target and a
 * re-framed body. Responses stream with a flush per read; allowed hijack endpoints become raw
 * tunnels with half-close.
 *
 * <p>Limits, stated honestly: this is a request filter in front of the daemon, not a sandbox; an
 * allowed endpoint can do whatever the daemon lets it do. Chunked request bodies are not bounded by
 * {@code maxRequestBody} (only declared lengths are). Upstream TLS is not supported.
 */
package dev.dockerproxy.server;
