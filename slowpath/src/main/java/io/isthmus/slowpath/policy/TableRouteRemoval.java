package io.isthmus.slowpath.policy;

/**
 * Removes the route of {@code table} for {@code prefix/prefixLength} ({@link TableRoute}) from every fastpath; nothing
 * if there is none.
 */
public record TableRouteRemoval(int table, int prefix, int prefixLength) implements Install {

    public TableRouteRemoval {
        if (table < 1 || prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("no such route: table " + table + ", length " + prefixLength);
        }
    }
}
