package dev.dockerproxy.server.internal;

/**
 * How one exchange ended, for the access log and for the connection loop.
 *
 * @param status    the status sent to the client
 * @param bytesIn   body bytes from the client (tunnel: client to daemon)
 * @param bytesOut  body bytes to the client (tunnel: daemon to client)
 * @param keepAlive whether the connection can serve another request
 * @param tunnelled whether the exchange became a hijack tunnel
 */
public record Outcome(int status, long bytesIn, long bytesOut, boolean keepAlive, boolean tunnelled) {
}
