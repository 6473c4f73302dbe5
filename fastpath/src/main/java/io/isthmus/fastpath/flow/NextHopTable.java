package io.isthmus.fastpath.flow;

import java.net.InetSocketAddress;
import java.util.Arrays;

import io.isthmus.control.Ipv4Addresses;

/**
 * VXLAN tunnel endpoints by index. Rules name next hops by address and port on the wire; installing interns them
 * here once, so the hot path sends to a preallocated {@link InetSocketAddress}. Entries live as long as the table (a
 * VNF has a handful of next hops).
 */
public final class NextHopTable {

    public static final int NONE = -1;

    private final int[] addresses;
    private final int[] ports;
    private final InetSocketAddress[] endpoints;
    private int size;

    public NextHopTable(int capacity) {
        addresses = new int[capacity];
        ports = new int[capacity];
        endpoints = new InetSocketAddress[capacity];
    }

    /** The index of the endpoint, added if new; {@link #NONE} if the table is full. Control path only. */
    public int intern(int address, int port) {
        for (int i = 0; i < size; i++) {
            if (addresses[i] == address && ports[i] == port) {
                return i;
            }
        }
        if (size == endpoints.length) {
            return NONE;
        }
        addresses[size] = address;
        ports[size] = port;
        endpoints[size] = Ipv4Addresses.socketAddress(address, port);
        return size++;
    }

    /** Forgets every endpoint; only when no program refers to one (all rules removed). */
    public void clear() {
        Arrays.fill(endpoints, 0, size, null);
        size = 0;
    }

    public InetSocketAddress endpoint(int index) {
        return endpoints[index];
    }

    public int size() {
        return size;
    }
}
