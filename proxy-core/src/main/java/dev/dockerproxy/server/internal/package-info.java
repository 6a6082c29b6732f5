/**
 * Internals of the forwarding server: the per-connection loop and its exchange pipeline ({@code
 * ConnectionHandler}, {@code ProxyExchange}), the strict request-head parser and framing checks,
 * forwarding ({@code Forwarder}), relaying and tunnelling ({@code ResponseRelay}), listeners and
 * the JDK UNIX-channel socket adapter. Not an API; may change without notice.
 */
package dev.dockerproxy.server.internal;
