package dev.dockerproxy.server.internal;

import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/** A request head as the client sent it, with the raw request target kept verbatim. */
public final class ProxyRequest extends BasicClassicHttpRequest {

    private static final long serialVersionUID = 1L;

    private final String rawTarget;

    public ProxyRequest(String method, String rawTarget, HttpVersion version) {
        super(
                method, null, null,
                rawTarget); // no java.net.URI parse: the policy canonicalizes the target
        this.rawTarget = rawTarget;
        setVersion(version);
    }

    /** The request target exactly as received. */
    public String rawTarget() {
        return rawTarget;
    }
}
