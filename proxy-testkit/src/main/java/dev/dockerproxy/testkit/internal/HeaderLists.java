package dev.dockerproxy.testkit.internal;

import java.util.List;
import java.util.Map;

/** Lookups in the ordered header lists that requests and responses keep. */
public final class HeaderLists {

    private HeaderLists() {}

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
