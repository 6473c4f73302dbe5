package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports the OS says are free now, none handed out twice by one instance. Another process may take a port before the
 * VNF binds it; the start then fails and is cleaned up like any other failed start.
 */
final class FreePorts {

    private static final int ATTEMPTS = 20;

    private final InetAddress address;
    private final Set<Integer> given = new HashSet<>();

    FreePorts(String host) {
        try {
            this.address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resolve " + host, e);
        }
    }

    int udp() {
        return unique(() -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
                return socket.getLocalPort();
            }
        });
    }

    int tcp() {
        return unique(() -> {
            try (ServerSocket socket = new ServerSocket(0, 1, address)) {
                return socket.getLocalPort();
            }
        });
    }

    private interface PortSource {
        int next() throws IOException;
    }

    private int unique(PortSource source) {
        try {
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = source.next();
                if (given.add(port)) {
                    return port;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + address, e);
        }
        throw new IllegalStateException("No fresh free port on " + address + " after " + ATTEMPTS + " attempts");
    }
}
