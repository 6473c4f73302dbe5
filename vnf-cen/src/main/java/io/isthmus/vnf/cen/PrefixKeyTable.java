package io.isthmus.vnf.cen;

import java.util.Arrays;

/**
 * The keys of an open-addressing map from a prefix key ({@link Ipv4Prefix#key()}, never negative) to a value its
 * subclass keeps in an array of its own, index for index: for tables of a million prefixes, no entry objects, no
 * boxing. Linear probing, deletion by backward shift (no tombstones, Knuth's algorithm R), grows at half full. Not
 * thread-safe: the policy thread owns it.
 */
abstract class PrefixKeyTable {

    private static final long EMPTY = -1;
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private int mask;
    private int size;

    final int size() {
        return size;
    }

    final boolean isEmpty() {
        return size == 0;
    }

    /** The index of {@code key}, or -1. */
    final int indexOf(long key) {
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    /**
     * The index of {@code key}, taken for it if it was not there (then {@code -2 - index}): the caller sets the value
     * at that index and calls {@link #added()}.
     */
    final int indexFor(long key) {
        if (key < 0) {
            throw new IllegalArgumentException("keys are not negative: " + key);
        }
        for (int i = slot(key);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                keys[i] = key;
                return -2 - i;
            }
        }
    }

    /** After a new key's value was set: counts it and grows the table at half full. */
    final void added() {
        if (++size > (mask + 1) >>> 1) {
            rehash((mask + 1) << 1);
        }
    }

    /** Removes the entry at {@code index}, its value cleared. */
    final void removeAt(int index) {
        int gap = index;
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
                moveValue(i, gap);
                gap = i;
            }
        }
        keys[gap] = EMPTY;
        clearValue(gap);
        size--;
    }

    /** The key at {@code index}, or a negative number for an empty slot. */
    final long keyAt(int index) {
        return keys[index];
    }

    /** Slots (for walking them with {@link #keyAt}). */
    final int capacity() {
        return keys.length;
    }

    /** The keys, in no particular order: a copy, so the map may change while the caller walks it. */
    final long[] keys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        return out;
    }

    final void clear() {
        allocate(MIN_CAPACITY);
    }

    /** Makes the subclass's value array for {@code capacity} slots, the old one kept for {@link #copyValue}. */
    abstract void allocateValues(int capacity);

    /** Copies the value of the old array's slot {@code from} (before a rehash) to the new array's slot {@code to}. */
    abstract void copyValue(int from, int to);

    abstract void moveValue(int from, int to);

    abstract void clearValue(int index);

    /** Drops the old value array after a rehash. */
    abstract void dropOldValues();

    private int slot(long key) {
        return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
    }

    /** To be called by the subclass's constructor, once its fields are set. */
    final void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        allocateValues(capacity);
        dropOldValues();
        mask = capacity - 1;
        size = 0;
    }

    final void allocateMinimum() {
        allocate(MIN_CAPACITY);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        allocateValues(capacity);
        mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int j = slot(oldKeys[i]);
                while (keys[j] != EMPTY) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                copyValue(i, j);
            }
        }
        dropOldValues();
    }
}
