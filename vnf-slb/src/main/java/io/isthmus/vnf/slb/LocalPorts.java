package io.isthmus.vnf.slb;

import java.util.BitSet;
import java.util.List;

/**
 * The load balancer's source ports on its local addresses (full NAT): a connection to a backend leaves from one local
 * address and a port of {@link #FIRST}..{@link #LAST} that no other connection of its protocol to the same backend
 * (address and port) holds on that address, so the backend's replies name the connection. Each local address has its
 * own ports per protocol and backend, 64,512 connections at once; a new connection takes the next free port after the
 * last one taken to that backend, the addresses in turn.
 */
final class LocalPorts {

    static final int FIRST = 1024;
    static final int LAST = 65535;

    private final List<Integer> addresses;
    private final LongPairMap<Ports> used = new LongPairMap<>();
    private int inUse;
    private int nextAddress;

    LocalPorts(List<Integer> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** One local address's ports towards one backend, as a key: (local address, protocol) and (backend, port). */
    private static long slotHigh(int local, int protocol) {
        return (local & 0xFFFF_FFFFL) << 8 | protocol;
    }

    private static long slotLow(int backendAddress, int backendPort) {
        return (backendAddress & 0xFFFF_FFFFL) << 16 | backendPort;
    }

    private Ports ports(int local, int protocol, int backendAddress, int backendPort) {
        long high = slotHigh(local, protocol);
        long low = slotLow(backendAddress, backendPort);
        Ports ports = used.get(high, low);
        if (ports == null) {
            ports = new Ports();
            used.put(high, low, ports);
        }
        return ports;
    }

    /** A slot's ports taken, and where the next search starts. */
    private static final class Ports {
        final BitSet taken = new BitSet(LAST + 1);
        int cursor = FIRST;
    }

    /**
     * A free port towards the backend at {@code backendAddress:backendPort}, packed as {@code address << 16 | port}
     * (unsigned address), or -1 if every address is full.
     */
    long take(int protocol, int backendAddress, int backendPort) {
        for (int tried = 0; tried < addresses.size(); tried++) {
            int address = addresses.get(nextAddress);
            nextAddress = (nextAddress + 1) % addresses.size();
            Ports ports = ports(address, protocol, backendAddress, backendPort);
            int port = ports.taken.nextClearBit(ports.cursor);
            if (port > LAST) {
                port = ports.taken.nextClearBit(FIRST);
            }
            if (port <= LAST) {
                ports.taken.set(port);
                ports.cursor = port + 1;
                inUse++;
                return pack(address, port);
            }
        }
        return -1;
    }

    /** Marks a port taken (a connection learned back or restored); false if it is taken already or not ours. */
    boolean claim(int address, int protocol, int port, int backendAddress, int backendPort) {
        if (!addresses.contains(address) || port < FIRST || port > LAST) {
            return false;
        }
        BitSet ports = ports(address, protocol, backendAddress, backendPort).taken;
        if (ports.get(port)) {
            return false;
        }
        ports.set(port);
        inUse++;
        return true;
    }

    void release(int address, int protocol, int port, int backendAddress, int backendPort) {
        Ports slot = used.get(slotHigh(address, protocol), slotLow(backendAddress, backendPort));
        BitSet ports = slot == null ? null : slot.taken;
        if (ports != null && ports.get(port)) {
            ports.clear(port);
            inUse--;
        }
    }

    int inUse() {
        return inUse;
    }

    /** The connections of one protocol one backend can have at once: every local address's ports. */
    int perBackend() {
        return addresses.size() * (LAST - FIRST + 1);
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
}
