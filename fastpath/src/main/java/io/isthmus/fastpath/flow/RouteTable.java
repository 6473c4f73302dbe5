package io.isthmus.fastpath.flow;

import java.util.Arrays;

/**
 * IPv4 routes by longest prefix match: a binary trie over int arrays, for routed traffic (CEN) and the slowpath's
 * INSTALL_ROUTE and ROUTE_BATCH. A node is a prefix; it holds a route (VNI and VXLAN next hop) or only leads to
 * longer ones. {@link #lookup} walks at most 32 nodes from the root, keeping the last that holds a route, and
 * allocates nothing. Installing and withdrawing are control-path work: the node arrays grow by doubling (up to what
 * {@code maxRoutes} routes can need), and a withdrawal frees the nodes that lead nowhere any more.
 * <p>
 * Single-threaded, like the rest of a worker's {@link ForwardingEngine}.
 */
public final class RouteTable {

    /** What {@link #lookup} returns when no route covers the address. */
    public static final int MISSING = -1;

    private static final int ROOT = 0;
    /** A missing child: the root is nobody's child, so 0 is free to mean none. */
    private static final int NONE = 0;
    private static final int INITIAL_NODES = 256;

    private final int maxRoutes;
    private final int maxNodes;
    /** Two per node: the child for a 0 bit, then for a 1 bit. */
    private int[] children;
    private byte[] routed;
    private int[] vnis;
    private int[] nextHopAddresses;
    private int[] nextHopPorts;
    private int[] nextHopIndexes;
    private int nodes;
    /** Freed nodes, linked through their first child slot. */
    private int freeList = NONE;
    private int size;
    private long rejected;
    private final int[] path = new int[33];

    /** A table of at most {@code maxRoutes} routes. */
    public RouteTable(int maxRoutes) {
        if (maxRoutes < 1) {
            throw new IllegalArgumentException("a route table holds at least one route: " + maxRoutes);
        }
        this.maxRoutes = maxRoutes;
        this.maxNodes = (int) Math.min(Integer.MAX_VALUE / 2 - 1, 32L * maxRoutes + 1);
        allocate(Math.min(INITIAL_NODES, maxNodes));
        nodes = 1;
    }

    private void allocate(int capacity) {
        children = children == null ? new int[2 * capacity] : Arrays.copyOf(children, 2 * capacity);
        routed = routed == null ? new byte[capacity] : Arrays.copyOf(routed, capacity);
        vnis = vnis == null ? new int[capacity] : Arrays.copyOf(vnis, capacity);
        nextHopAddresses = nextHopAddresses == null ? new int[capacity] : Arrays.copyOf(nextHopAddresses, capacity);
        nextHopPorts = nextHopPorts == null ? new int[capacity] : Arrays.copyOf(nextHopPorts, capacity);
        nextHopIndexes = nextHopIndexes == null ? new int[capacity] : Arrays.copyOf(nextHopIndexes, capacity);
    }

    /**
     * The node of the longest route covering {@code address}, or {@link #MISSING}; read its route with {@link #vni},
     * {@link #nextHopAddress} and {@link #nextHopPort} (valid until the table next changes).
     */
    public int lookup(int address) {
        int node = ROOT;
        int best = routed[ROOT] != 0 ? ROOT : MISSING;
        for (int bit = 31; bit >= 0; bit--) {
            node = children[2 * node + ((address >>> bit) & 1)];
            if (node == NONE) {
                break;
            }
            if (routed[node] != 0) {
                best = node;
            }
        }
        return best;
    }

    public int vni(int node) {
        return vnis[node];
    }

    public int nextHopAddress(int node) {
        return nextHopAddresses[node];
    }

    public int nextHopPort(int node) {
        return nextHopPorts[node];
    }

    /** The owner's index for the route's next hop (the engine's {@link NextHopTable} entry), as installed. */
    public int nextHop(int node) {
        return nextHopIndexes[node];
    }

    /**
     * Installs (or replaces) the route for {@code prefix/prefixLength} (bits beyond the length are ignored); returns
     * false, counting a reject, if the table already holds {@code maxRoutes} routes.
     */
    public boolean install(int prefix, int prefixLength, int vni, int nextHopAddress, int nextHopPort) {
        return install(prefix, prefixLength, vni, nextHopAddress, nextHopPort, NextHopTable.NONE);
    }

    /** Installs a route as {@link #install(int, int, int, int, int)}, with the owner's index for its next hop. */
    public boolean install(int prefix, int prefixLength, int vni, int nextHopAddress, int nextHopPort, int nextHop) {
        checkLength(prefixLength);
        int node = ROOT;
        for (int depth = 0; depth < prefixLength; depth++) {
            int slot = 2 * node + ((prefix >>> (31 - depth)) & 1);
            int child = children[slot];
            if (child == NONE) {
                if (size == maxRoutes) {
                    // a missing node holds no route: this would be one more
                    rejected++;
                    return false;
                }
                child = newNode();
                // newNode may have grown the arrays
                children[slot] = child;
            }
            node = child;
        }
        if (routed[node] == 0) {
            if (size == maxRoutes) {
                rejected++;
                return false;
            }
            size++;
        }
        routed[node] = 1;
        vnis[node] = vni;
        nextHopAddresses[node] = nextHopAddress;
        nextHopPorts[node] = nextHopPort;
        nextHopIndexes[node] = nextHop;
        return true;
    }

    /** Removes the route for {@code prefix/prefixLength}; returns whether there was one. */
    public boolean withdraw(int prefix, int prefixLength) {
        checkLength(prefixLength);
        int node = ROOT;
        path[0] = ROOT;
        for (int depth = 0; depth < prefixLength; depth++) {
            node = children[2 * node + ((prefix >>> (31 - depth)) & 1)];
            if (node == NONE) {
                return false;
            }
            path[depth + 1] = node;
        }
        if (routed[node] == 0) {
            return false;
        }
        routed[node] = 0;
        size--;
        // free the nodes that now lead nowhere, from the withdrawn one up
        for (int depth = prefixLength; depth > 0; depth--) {
            int n = path[depth];
            if (routed[n] != 0 || children[2 * n] != NONE || children[2 * n + 1] != NONE) {
                break;
            }
            children[2 * path[depth - 1] + ((prefix >>> (32 - depth)) & 1)] = NONE;
            children[2 * n] = freeList;
            freeList = n;
        }
        return true;
    }

    private int newNode() {
        int node;
        if (freeList != NONE) {
            node = freeList;
            freeList = children[2 * node];
        } else {
            if (nodes == routed.length) {
                allocate((int) Math.min(maxNodes, 2L * routed.length));
            }
            node = nodes++;
        }
        children[2 * node] = NONE;
        children[2 * node + 1] = NONE;
        routed[node] = 0;
        return node;
    }

    /** Removes every route. */
    public void clear() {
        Arrays.fill(children, 0, 2 * nodes, NONE);
        Arrays.fill(routed, 0, nodes, (byte) 0);
        nodes = 1;
        freeList = NONE;
        size = 0;
    }

    /** Routes in the table. */
    public int size() {
        return size;
    }

    public int maxRoutes() {
        return maxRoutes;
    }

    /** Installs refused because the table was full. */
    public long rejected() {
        return rejected;
    }

    /** Trie nodes in use, the root and freed ones included (for tests and sizing). */
    int nodes() {
        return nodes;
    }

    private static void checkLength(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of 0..32: " + prefixLength);
        }
    }
}
