package io.isthmus.fastpath.route;

import io.isthmus.fastpath.flow.RouteTable;

/** PLACEHOLDER until the real FIB lands (h-fib): the binary trie behind the FIB's API. */
public final class Fib {

    public static final int MISSING = -1;

    private final RouteTable trie;

    public Fib(int maxRoutes) {
        trie = new RouteTable(maxRoutes);
    }

    public int lookup(int address) {
        int node = trie.lookup(address);
        return node == RouteTable.MISSING ? MISSING : trie.vni(node);
    }

    public boolean insert(int prefix, int prefixLength, int value) {
        return trie.install(prefix, prefixLength, value, 0, 0);
    }

    public boolean remove(int prefix, int prefixLength) {
        return trie.withdraw(prefix, prefixLength);
    }

    public int size() {
        return trie.size();
    }

    public long rejected() {
        return trie.rejected();
    }

    public long memoryBytes() {
        return 0;
    }

    public void clear() {
        trie.clear();
    }
}
