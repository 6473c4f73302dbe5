package io.isthmus.fastpath.route;

import java.util.HashMap;
import java.util.Map;

/** The obvious longest-prefix match to compare {@link Fib} with: a map per prefix length, the longest tried first. */
final class ReferenceFib {

    private final Map<Integer, Map<Integer, Integer>> byLength = new HashMap<>();

    void insert(int prefix, int length, int value) {
        byLength.computeIfAbsent(length, l -> new HashMap<>()).put(mask(prefix, length), value);
    }

    boolean remove(int prefix, int length) {
        Map<Integer, Integer> routes = byLength.get(length);
        return routes != null && routes.remove(mask(prefix, length)) != null;
    }

    int value(int prefix, int length) {
        Map<Integer, Integer> routes = byLength.get(length);
        Integer value = routes == null ? null : routes.get(mask(prefix, length));
        return value == null ? Fib.MISSING : value;
    }

    int lookup(int address) {
        for (int length = 32; length >= 0; length--) {
            int value = value(address, length);
            if (value != Fib.MISSING) {
                return value;
            }
        }
        return Fib.MISSING;
    }

    int size() {
        return byLength.values().stream().mapToInt(Map::size).sum();
    }

    static int mask(int prefix, int length) {
        return length == 0 ? 0 : prefix & (-1 << (32 - length));
    }
}
