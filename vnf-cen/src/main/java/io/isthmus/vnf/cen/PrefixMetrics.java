package io.isthmus.vnf.cen;

import java.util.Arrays;

/**
 * An open-addressing map from a prefix key ({@link Ipv4Prefix#key()}) to a metric (a non-negative long): the routes a
 * BGP peer announced, a million of them in two arrays. {@link #MISSING} for a key it does not hold. As
 * {@link PrefixMap}: linear probing, deletion by backward shift, grows at half full; the policy thread owns it.
 */
final class PrefixMetrics {

    /** What {@link #get} returns for a key the map does not hold. */
    static final long MISSING = -1;
    private static final long EMPTY = -1;
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private long[] values;
    private int mask;
    private int size;

    PrefixMetrics() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    long get(long key) {
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return MISSING;
            }
        }
    }

    /** Sets {@code key} to {@code value} (not negative); returns the previous value, or {@link #MISSING}. */
    long put(long key, long value) {
        if (key < 0 || value < 0) {
            throw new IllegalArgumentException("keys and values are not negative: " + key + ", " + value);
        }
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                long previous = values[i];
                values[i] = value;
                return previous;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size > (mask + 1) >>> 1) {
                    rehash((mask + 1) << 1);
                }
                return MISSING;
            }
        }
    }

    /** Removes {@code key}; returns its value, or {@link #MISSING}. */
    long remove(long key) {
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == EMPTY) {
                return MISSING;
            }
            if (k == key) {
                long previous = values[i];
                shiftBack(i);
                size--;
                return previous;
            }
        }
    }

    /** The keys, in no particular order, as a copy. */
    long[] keys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        return out;
    }

    private void shiftBack(int gap) {
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == EMPTY) {
                break;
            }
            int home = slot(k);
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                keys[gap] = k;
                values[gap] = values[i];
                gap = i;
            }
        }
        keys[gap] = EMPTY;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new long[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int j = slot(oldKeys[i]);
                while (keys[j] != EMPTY) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
                size++;
            }
        }
    }
}
