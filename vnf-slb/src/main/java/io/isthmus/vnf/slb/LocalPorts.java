package io.isthmus.vnf.slb;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load balancer's source ports on its local addresses (full NAT): a connection to a backend leaves from one local
 * address and a port of {@link #FIRST}..{@link #LAST} that no other connection of its protocol holds on that address,
 * so the backend's replies name the connection. Each address has its own ports per protocol; a new connection takes the
 * next free port after the last one taken, the addresses in turn.
 */
final class LocalPorts {

    static final int FIRST = 1024;
    static final int LAST = 65535;

    private final List<Integer> addresses;
    private final Map<Long, BitSet> used = new HashMap<>();
    private final Map<Long, Integer> cursors = new HashMap<>();
    private int inUse;
    private int nextAddress;

    LocalPorts(List<Integer> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** A free port, packed as {@code address << 16 | port} (unsigned address), or -1 if every address is full. */
    long take(int protocol) {
        for (int tried = 0; tried < addresses.size(); tried++) {
            int address = addresses.get(nextAddress);
            nextAddress = (nextAddress + 1) % addresses.size();
            long slot = slot(address, protocol);
            BitSet ports = used.computeIfAbsent(slot, s -> new BitSet(LAST + 1));
            int from = cursors.getOrDefault(slot, FIRST);
            int port = ports.nextClearBit(from);
            if (port > LAST) {
                port = ports.nextClearBit(FIRST);
            }
            if (port <= LAST) {
                ports.set(port);
                cursors.put(slot, port + 1);
                inUse++;
                return pack(address, port);
            }
        }
        return -1;
    }

    /** Marks a port taken (a connection learned back or restored); false if it is taken already or not ours. */
    boolean claim(int address, int protocol, int port) {
        if (!addresses.contains(address) || port < FIRST || port > LAST) {
            return false;
        }
        BitSet ports = used.computeIfAbsent(slot(address, protocol), s -> new BitSet(LAST + 1));
        if (ports.get(port)) {
            return false;
        }
        ports.set(port);
        inUse++;
        return true;
    }

    void release(int address, int protocol, int port) {
        BitSet ports = used.get(slot(address, protocol));
        if (ports != null && ports.get(port)) {
            ports.clear(port);
            inUse--;
        }
    }

    int inUse() {
        return inUse;
    }

    int total() {
        return addresses.size() * 2 * (LAST - FIRST + 1);
    }

    static long pack(int address, int port) {
        return (address & 0xFFFF_FFFFL) << 16 | port;
    }

    static int address(long packed) {
        return (int) (packed >>> 16);
    }

    static int port(long packed) {
        return (int) (packed & 0xFFFF);
    }

    private static long slot(int address, int protocol) {
        return (address & 0xFFFF_FFFFL) << 8 | protocol;
    }
}
