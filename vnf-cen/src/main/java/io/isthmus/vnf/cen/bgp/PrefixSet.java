package io.isthmus.vnf.cen.bgp;

import java.util.Arrays;

/**
 * The prefixes a peer has announced (its Adj-RIB-In, keys only): an open-addressing set of {@link Prefix#key()}s with
 * linear probing and backward-shift deletion, 8 octets per slot, so a full Internet-sized table costs tens of MB and
 * no object per route. Not thread-safe.
 */
final class PrefixSet {

    private static final long EMPTY = -1L; // no prefix key has all bits set: the length byte is at most 32
    private long[] slots = newSlots(1024);
    private int size;

    int size() {
        return size;
    }

    /** @return true if it was absent */
    boolean add(long key) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = index(key, mask);; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                slots[i] = key;
                size++;
                return true;
            }
            if (slots[i] == key) {
                return false;
            }
        }
    }

    /** @return true if it was present */
    boolean remove(long key) {
        int mask = slots.length - 1;
        int i = index(key, mask);
        while (slots[i] != key) {
            if (slots[i] == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = EMPTY;
        size--;
        // shift back the entries of the probe run that follows so none is cut off from its home slot
        for (int j = (i + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int home = index(slots[j], mask);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                slots[i] = slots[j];
                slots[j] = EMPTY;
                i = j;
            }
        }
        return true;
    }

    boolean contains(long key) {
        int mask = slots.length - 1;
        for (int i = index(key, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
            if (slots[i] == key) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        slots = newSlots(1024);
        size = 0;
    }

    private void grow() {
        long[] old = slots;
        slots = newSlots(old.length * 2);
        size = 0;
        for (long key : old) {
            if (key != EMPTY) {
                add(key);
            }
        }
    }

    private static int index(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static long[] newSlots(int capacity) {
        long[] slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
        return slots;
    }
}
