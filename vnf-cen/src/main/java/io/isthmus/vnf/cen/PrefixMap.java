package io.isthmus.vnf.cen;

import java.util.Arrays;

/**
 * An open-addressing map from a prefix key ({@link Ipv4Prefix#key()}, never negative) to an object, for route tables of
 * a million prefixes: two arrays, no entry objects, no boxing. Linear probing, deletion by backward shift (no
 * tombstones), grows at half full. Not thread-safe: the policy thread owns it.
 */
final class PrefixMap<V> {

    private static final long EMPTY = -1;
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private Object[] values;
    private int mask;
    private int size;

    PrefixMap() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    /** Sets {@code key} to {@code value} (not null); returns the previous value, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (key < 0 || value == null) {
            throw new IllegalArgumentException("keys are not negative, values not null: " + key);
        }
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                V previous = (V) values[i];
                values[i] = value;
                return previous;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size > (mask + 1) >>> 1) {
                    rehash((mask + 1) << 1);
                }
                return null;
            }
        }
    }

    /** Removes {@code key}; returns its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == EMPTY) {
                return null;
            }
            if (k == key) {
                V previous = (V) values[i];
                shiftBack(i);
                size--;
                return previous;
            }
        }
    }

    /** The keys, in no particular order: a copy, so the map may change while the caller walks it. */
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

    /** Calls {@code action} for each entry; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEach(Entry<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    /** An entry's visitor. */
    @FunctionalInterface
    interface Entry<V> {
        void accept(long key, V value);
    }

    /** Closes the gap at {@code gap}: moves back the entries after it that probed past it (Knuth's algorithm R). */
    private void shiftBack(int gap) {
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == EMPTY) {
                break;
            }
            int home = slot(k);
            // the entry at i may move to the gap if its home is not cyclically within (gap, i]
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                keys[gap] = k;
                values[gap] = values[i];
                gap = i;
            }
        }
        keys[gap] = EMPTY;
        values[gap] = null;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new Object[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insertNew(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void insertNew(long key, Object value) {
        int i = slot(key);
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }
}
