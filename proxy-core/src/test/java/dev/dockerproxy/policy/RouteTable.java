package dev.dockerproxy.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's route list ({@code routes-v1.56.txt}, copied from shared/docker-api) as test data.
 */
final class RouteTable {

    record Route(String method, String template) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private RouteTable() {}

    static List<Route> load() {
        try (InputStream in = RouteTable.class.getResourceAsStream("/routes-v1.56.txt")) {
            if (in == null) {
                throw new IllegalStateException("routes-v1.56.txt missing from test resources");
            }
            List<Route> routes = new ArrayList<>();
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                routes.add(new Route(line.substring(0, sp), line.substring(sp + 1).trim()));
            }
            return routes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
