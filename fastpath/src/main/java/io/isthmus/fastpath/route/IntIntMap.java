package io.isthmus.fastpath.route;

import java.util.Arrays;

/**
 * An int-to-int map by open addressing for the route tables' control structures: a FIB's routes of one prefix length
 * ({@link Fib}), VNI to table, table and group numbers to their slots ({@link RouteTables}). Any key (a prefix may be
 * {@code 0x80000000}); values are never negative: a {@link #MISSING} value marks an empty slot. Linear probing, grows at
 * three quarters full, backward-shift deletion (no tombstones), shrinks below an eighth full, so a map that held a
 * million entries gives the memory back. Reads allocate nothing. Single-threaded.
 */
final class IntIntMap {

    /** What {@link #get} and {@link #remove} return for a key the map does not hold. */
    static final int MISSING = -1;
    private static final int MIN_CAPACITY = 8;

    private int[] keys = new int[MIN_CAPACITY];
    private int[] values = newValues(MIN_CAPACITY);
    private int size;

    int get(int key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask;; i = (i + 1) & mask) {
            int value = values[i];
            if (value == MISSING || keys[i] == key) {
                return value;
            }
        }
    }

    /** Sets {@code key} to {@code value} (not negative). */
    void put(int key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values are not negative: " + value);
        }
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (values[i] != MISSING && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == MISSING) {
            keys[i] = key;
            size++;
        }
        values[i] = value;
        if (size * 4 > keys.length * 3) {
            rehash(keys.length * 2);
        }
    }

    /** Removes {@code key}, returning its value or {@link #MISSING}. */
    int remove(int key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (values[i] != MISSING && keys[i] != key) {
            i = (i + 1) & mask;
        }
        int removed = values[i];
        if (removed == MISSING) {
            return MISSING;
        }
        for (int j = (i + 1) & mask; values[j] != MISSING; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            // move j back into the hole at i unless its home lies cyclically in (i, j]
            if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        values[i] = MISSING;
        if (--size * 8 < keys.length && keys.length > MIN_CAPACITY) {
            rehash(keys.length / 2);
        }
        return removed;
    }

    int size() {
        return size;
    }

    /** Bytes of its arrays. */
    long memoryBytes() {
        return 8L * keys.length;
    }

    void clear() {
        keys = new int[MIN_CAPACITY];
        values = newValues(MIN_CAPACITY);
        size = 0;
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[capacity];
        values = newValues(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != MISSING) {
                int i = hash(oldKeys[j]) & mask;
                while (values[i] != MISSING) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int[] newValues(int capacity) {
        int[] v = new int[capacity];
        Arrays.fill(v, MISSING);
        return v;
    }

    private static int hash(int key) {
        int h = key * 0x9E37_79B9;
        return h ^ (h >>> 16);
    }
}
