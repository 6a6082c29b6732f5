package dev.dockerproxy.testkit.internal;

import java.util.regex.Pattern;

/** A path with {@code {name}} placeholders, each matching one non-empty segment. */
public final class RouteTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z0-9_]+\\}");

    private final String text;
    private final Pattern pattern;

    private RouteTemplate(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    public static RouteTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException(
                    "route path must start with '/', e.g. /containers/{id}/json; was " + template);
        }
        if (template.matches("^/v[0-9].*")) {
            throw new IllegalArgumentException(
                    "route path must not carry a /vX.Y prefix (requests are matched on the "
                            + "canonical path, any version): "
                            + template);
        }
        StringBuilder regex = new StringBuilder();
        int last = 0;
        java.util.regex.Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return new RouteTemplate(template, Pattern.compile(regex.toString()));
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
