package dev.dockerproxy.testkit.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string literals. */
final class JsonQuote {
    private JsonQuote() {}

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
