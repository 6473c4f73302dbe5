package io.isthmus.slowpath.control;

import java.util.Arrays;

/**
 * An open-addressing map of non-negative {@code long} keys to {@code int} values with an explicit missing value
 * (Agrona's {@code Long2IntHashMap} in spirit): two arrays, linear probing, deletion by backward shift, no object per
 * entry. A million routes take about 24 MB. Iterate with {@link #capacity()}, {@link #isUsed(int)},
 * {@link #keyAt(int)} and {@link #valueAt(int)}; not thread-safe.
 */
final class LongIntHashMap {

    /** What {@link #get} answers for a key that is not there. */
    static final int MISSING = Integer.MIN_VALUE;
    private static final long EMPTY = -1;
    private static final float LOAD = 0.6f;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;
    private int resizeAt;

    LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) (expected / LOAD)) - 1) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
        mask = capacity - 1;
        resizeAt = (int) (capacity * LOAD);
    }

    int size() {
        return size;
    }

    int get(long key) {
        int slot = slot(key);
        while (true) {
            long at = keys[slot];
            if (at == key) {
                return values[slot];
            }
            if (at == EMPTY) {
                return MISSING;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Sets {@code key}'s value; returns the one it replaced, or {@link #MISSING}. */
    int put(long key, int value) {
        if (key < 0) {
            throw new IllegalArgumentException("keys are not negative: " + key);
        }
        int slot = slot(key);
        while (true) {
            long at = keys[slot];
            if (at == key) {
                int old = values[slot];
                values[slot] = value;
                return old;
            }
            if (at == EMPTY) {
                keys[slot] = key;
                values[slot] = value;
                if (++size > resizeAt) {
                    grow();
                }
                return MISSING;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Removes {@code key}; returns its value, or {@link #MISSING}. */
    int remove(long key) {
        int slot = slot(key);
        while (true) {
            long at = keys[slot];
            if (at == EMPTY) {
                return MISSING;
            }
            if (at == key) {
                int old = values[slot];
                shiftBack(slot);
                size--;
                return old;
            }
            slot = (slot + 1) & mask;
        }
    }

    int capacity() {
        return keys.length;
    }

    boolean isUsed(int slot) {
        return keys[slot] != EMPTY;
    }

    long keyAt(int slot) {
        return keys[slot];
    }

    int valueAt(int slot) {
        return values[slot];
    }

    /** Fills the hole at {@code free} with the entries after it that probed past it. */
    private void shiftBack(int free) {
        int slot = free;
        while (true) {
            slot = (slot + 1) & mask;
            long key = keys[slot];
            if (key == EMPTY) {
                break;
            }
            int home = slot(key);
            // the entry may move to the hole if its home is not in (free, slot], cyclically
            boolean movable = free <= slot ? (home <= free || home > slot) : (home <= free && home > slot);
            if (movable) {
                keys[free] = key;
                values[free] = values[slot];
                free = slot;
            }
        }
        keys[free] = EMPTY;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != EMPTY) {
                int slot = slot(key);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                values[slot] = oldValues[i];
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
