package io.isthmus.fastpath.route;

import java.util.Arrays;

/**
 * An int-to-int map by open addressing (linear probing, backward-shift deletion) for the route tables' control
 * structures: VNI to table, table and group numbers to their slots. Any key but {@link Integer#MIN_VALUE}; reads
 * allocate nothing. Single-threaded.
 */
final class IntIntMap {

    static final int MISSING = Integer.MIN_VALUE;
    private static final int EMPTY = Integer.MIN_VALUE;

    private int[] keys;
    private int[] values;
    private int mask;
    private int size;

    IntIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        keys = new int[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static int slot(int key, int mask) {
        int h = key * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    int get(int key) {
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return MISSING;
            }
        }
    }

    void put(int key, int value) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("reserved key");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes the key; returns its value or {@link #MISSING}. */
    int remove(int key) {
        for (int i = slot(key, mask);; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == EMPTY) {
                return MISSING;
            }
            if (k == key) {
                int value = values[i];
                shiftBack(i);
                size--;
                return value;
            }
        }
    }

    private void shiftBack(int hole) {
        int i = hole;
        for (;;) {
            i = (i + 1) & mask;
            int k = keys[i];
            if (k == EMPTY) {
                keys[hole] = EMPTY;
                return;
            }
            int home = slot(k, mask);
            // move k into the hole unless its home lies cyclically in (hole, i]
            boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!stays) {
                keys[hole] = k;
                values[hole] = values[i];
                hole = i;
            }
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, EMPTY);
        size = 0;
    }
}
