package io.isthmus.outbox.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of the callback policy: a network (address and prefix length) and a port, {@link #ANY_PORT} for all.
 */
record AddressRule(byte[] network, int prefix, int port) {

    static final int ANY_PORT = -1;

    /**
     * {@code 10.0.0.0/8}, {@code 10.0.0.0/8:443}, {@code 127.0.0.1:9000}, {@code fe80::/10}, {@code [::1]:9000},
     * {@code [fd00::/8]:80}, {@code host.example} or {@code host.example:80} (one rule per address of the host).
     */
    static List<AddressRule> parse(String entry) {
        String e = entry.trim();
        String host;
        int port = ANY_PORT;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            host = e.substring(1, close);
            if (close + 1 < e.length()) {
                port = Integer.parseInt(e.substring(close + 2));
            }
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            host = e.substring(0, e.indexOf(':'));
            port = Integer.parseInt(e.substring(e.indexOf(':') + 1));
        } else {
            host = e;
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] network = InetAddress.ofLiteral(host.substring(0, slash)).getAddress();
            return List.of(new AddressRule(network, Integer.parseInt(host.substring(slash + 1)), port));
        }
        try {
            InetAddress literal = InetAddress.ofLiteral(host);
            return List.of(new AddressRule(literal.getAddress(), literal.getAddress().length * 8, port));
        } catch (IllegalArgumentException notALiteral) {
            try {
                int p = port;
                return Arrays.stream(InetAddress.getAllByName(host))
                        .map(a -> new AddressRule(a.getAddress(), a.getAddress().length * 8, p)).toList();
            } catch (UnknownHostException unknown) {
                throw new IllegalArgumentException("isthmus.callbacks: unknown host in " + entry, unknown);
            }
        }
    }

    boolean matches(InetAddress address, int destinationPort) {
        if (port != ANY_PORT && port != destinationPort) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
