/**
 * Internals of the forwarding server: the per-connection loop ({@code ConnectionHandler}), the
 * strict request-head parser and framing checks, forwarding and tunnelling, listeners and the
 * JDK UNIX-channel socket adapter. Not an API; may change without notice.
 */
package dev.dockerproxy.server.internal;
