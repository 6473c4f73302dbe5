package io.isthmus.vnf.cen;

/**
 * An open-addressing map from a prefix key ({@link Ipv4Prefix#key()}) to a metric (a non-negative long): the routes a
 * BGP peer announced, a million of them in two arrays ({@link PrefixKeyTable} and the metrics beside it).
 * {@link #MISSING} for a key it does not hold. The policy thread owns it.
 */
final class PrefixMetrics extends PrefixKeyTable {

    /** What {@link #get} returns for a key the map does not hold. */
    static final long MISSING = -1;

    private long[] values;
    private long[] oldValues;

    PrefixMetrics() {
        allocateMinimum();
    }

    long get(long key) {
        int i = indexOf(key);
        return i < 0 ? MISSING : values[i];
    }

    /** Sets {@code key} to {@code value} (not negative); returns the previous value, or {@link #MISSING}. */
    long put(long key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("values are not negative: " + key + ", " + value);
        }
        int i = indexFor(key);
        if (i >= 0) {
            long previous = values[i];
            values[i] = value;
            return previous;
        }
        values[-2 - i] = value;
        added();
        return MISSING;
    }

    /** Removes {@code key}; returns its value, or {@link #MISSING}. */
    long remove(long key) {
        int i = indexOf(key);
        if (i < 0) {
            return MISSING;
        }
        long previous = values[i];
        removeAt(i);
        return previous;
    }

    @Override
    void allocateValues(int capacity) {
        oldValues = values;
        values = new long[capacity];
    }

    @Override
    void copyValue(int from, int to) {
        values[to] = oldValues[from];
    }

    @Override
    void moveValue(int from, int to) {
        values[to] = values[from];
    }

    @Override
    void clearValue(int index) {
        values[index] = 0;
    }

    @Override
    void dropOldValues() {
        oldValues = null;
    }
}
