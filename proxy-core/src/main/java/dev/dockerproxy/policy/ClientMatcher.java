package dev.dockerproxy.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches the client of a request: by transport, UNIX peer uid/gid, or TCP address range. Each
 * non-empty criterion must match; an empty matcher ({@link #ANY}) matches everyone. Immutable and
 * thread-safe.
 */
public final class ClientMatcher {

    /** Matches every client. */
    public static final ClientMatcher ANY =
            new ClientMatcher(Set.of(), Set.of(), Set.of(), List.of());

    private final Set<String> transports;
    private final Set<Long> uids;
    private final Set<Long> gids;
    private final List<Cidr> networks;

    private ClientMatcher(
            Set<String> transports, Set<Long> uids, Set<Long> gids, List<Cidr> networks) {
        this.transports = Set.copyOf(transports);
        this.uids = Set.copyOf(uids);
        this.gids = Set.copyOf(gids);
        this.networks = List.copyOf(networks);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isAny() {
        return transports.isEmpty() && uids.isEmpty() && gids.isEmpty() && networks.isEmpty();
    }

    public boolean matches(ClientIdentity client) {
        if (!transports.isEmpty() && !transports.contains(client.transport())) {
            return false;
        }
        if (!uids.isEmpty() && !uids.contains(client.uid())) {
            return false;
        }
        if (!gids.isEmpty() && !gids.contains(client.gid())) {
            return false;
        }
        if (!networks.isEmpty()) {
            InetAddress a = client.address();
            if (a == null) {
                return false;
            }
            for (Cidr c : networks) {
                if (c.contains(a)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        if (isAny()) {
            return "any client";
        }
        List<String> parts = new ArrayList<>();
        if (!transports.isEmpty()) {
            parts.add("transport " + transports);
        }
        if (!uids.isEmpty()) {
            parts.add("uid " + uids);
        }
        if (!gids.isEmpty()) {
            parts.add("gid " + gids);
        }
        if (!networks.isEmpty()) {
            parts.add("address " + networks);
        }
        return String.join(", ", parts);
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final Set<String> transports = new LinkedHashSet<>();
        private final Set<Long> uids = new LinkedHashSet<>();
        private final Set<Long> gids = new LinkedHashSet<>();
        private final List<Cidr> networks = new ArrayList<>();

        public Builder transport(String transport) {
            if (!Set.of("tcp", "unix", "local").contains(transport)) {
                throw new IllegalArgumentException(
                        "unknown transport '" + transport + "'; use tcp, unix or local");
            }
            transports.add(transport);
            return this;
        }

        public Builder uid(long uid) {
            uids.add(uid);
            return this;
        }

        public Builder gid(long gid) {
            gids.add(gid);
            return this;
        }

        /**
         * Adds an address range such as {@code 172.16.0.0/12}, {@code ::1/128} or a single address.
         *
         * @throws IllegalArgumentException if it is not a literal IP address or CIDR
         */
        public Builder network(String cidr) {
            networks.add(Cidr.parse(cidr));
            return this;
        }

        public ClientMatcher build() {
            return new ClientMatcher(transports, uids, gids, networks);
        }
    }

    private static final class Cidr {
        private final byte[] network;
        private final int prefix;
        private final String text;

        private Cidr(byte[] network, int prefix, String text) {
            this.network = network;
            this.prefix = prefix;
            this.text = text;
        }

        static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String host = slash < 0 ? t : t.substring(0, slash);
            if (host.isEmpty() || !host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException(
                        "'"
                                + text
                                + "' is not an IP address or CIDR range; "
                                + "write e.g. 10.0.0.0/8 or ::1/128");
            }
            byte[] addr;
            try {
                addr = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not an IP address or CIDR range", e);
            }
            int prefix = addr.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "'" + text + "' has an invalid prefix length", e);
                }
                if (prefix < 0 || prefix > addr.length * 8) {
                    throw new IllegalArgumentException(
                            "'" + text + "' has a prefix length outside 0.." + addr.length * 8);
                }
            }
            return new Cidr(addr, prefix, t);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
