package io.isthmus.fastpath.flow;

import java.util.Arrays;

/**
 * An exact-match flow table from a 128-bit packed key ({@code FlowKey.packHigh/packLow}) to an {@code int} value (an
 * action program id). Open addressing with linear probing over primitive arrays, sized once: it holds at most
 * {@link #maxFlows()} entries in twice as many slots (load ≤ 0.5), refuses (and counts) inserts beyond that, and
 * removes with backward-shift deletion, so there are no tombstones and lookups stay short.
 * <p>
 * Single-threaded: one worker owns its table.
 */
public final class FlowTable {

    /** The value of an absent key; also marks an empty slot. */
    public static final int MISSING = -1;
    /** {@link #put} refused a new key because the table is full. */
    public static final int REJECTED = -2;
    /** The largest table: 2^27 slots of 16-byte keys (2 GiB) and 4-byte values. */
    public static final int MAX_FLOWS = 1 << 26;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private final int maxFlows;
    private int size;
    private long rejectedInserts;

    /** A table for at most {@code maxFlows} entries. */
    public FlowTable(int maxFlows) {
        if (maxFlows < 1 || maxFlows > MAX_FLOWS) {
            throw new IllegalArgumentException("maxFlows out of range: " + maxFlows);
        }
        int slots = Integer.highestOneBit(Math.max(2, maxFlows * 2 - 1)) << 1;
        this.maxFlows = maxFlows;
        this.mask = slots - 1;
        this.keys = new long[slots * 2];
        this.values = new int[slots];
        Arrays.fill(values, MISSING);
    }

    /** The value for the key, or {@link #MISSING}. */
    public int get(long keyHigh, long keyLow) {
        int slot = hash(keyHigh, keyLow) & mask;
        int value;
        while ((value = values[slot]) != MISSING) {
            if (keys[slot << 1] == keyHigh && keys[(slot << 1) + 1] == keyLow) {
                return value;
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    /**
     * Maps the key to {@code value} (≥ 0); returns the value it replaced, {@link #MISSING} if the key is new, or
     * {@link #REJECTED} if the key is new and the table is full.
     */
    public int put(long keyHigh, long keyLow, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values are non-negative: " + value);
        }
        int slot = hash(keyHigh, keyLow) & mask;
        int existing;
        while ((existing = values[slot]) != MISSING) {
            if (keys[slot << 1] == keyHigh && keys[(slot << 1) + 1] == keyLow) {
                values[slot] = value;
                return existing;
            }
            slot = (slot + 1) & mask;
        }
        if (size == maxFlows) {
            rejectedInserts++;
            return REJECTED;
        }
        keys[slot << 1] = keyHigh;
        keys[(slot << 1) + 1] = keyLow;
        values[slot] = value;
        size++;
        return MISSING;
    }

    /** Removes the key; returns its value or {@link #MISSING}. */
    public int remove(long keyHigh, long keyLow) {
        int slot = hash(keyHigh, keyLow) & mask;
        int value;
        while ((value = values[slot]) != MISSING) {
            if (keys[slot << 1] == keyHigh && keys[(slot << 1) + 1] == keyLow) {
                values[slot] = MISSING;
                size--;
                compactChain(slot);
                return value;
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    /** Empties the table. */
    public void clear() {
        Arrays.fill(values, MISSING);
        size = 0;
    }

    public int size() {
        return size;
    }

    public int maxFlows() {
        return maxFlows;
    }

    /** Inserts refused because the table was full, since it was created. */
    public long rejectedInserts() {
        return rejectedInserts;
    }

    /**
     * Hashes a packed key; also the flow hash to spread flows over workers with (RSS-like), so it mixes every bit.
     */
    public static int hash(long keyHigh, long keyLow) {
        long h = keyHigh * 0x9E37_79B9_7F4A_7C15L ^ keyLow;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Backward-shift deletion (Knuth 6.4, Algorithm R): pull later entries of the probe chain into the hole. */
    private void compactChain(int deleted) {
        int hole = deleted;
        int slot = (deleted + 1) & mask;
        while (values[slot] != MISSING) {
            int home = hash(keys[slot << 1], keys[(slot << 1) + 1]) & mask;
            // the entry may move into the hole unless its home lies cyclically in (hole, slot]
            if ((slot > hole && (home <= hole || home > slot)) || (slot < hole && home <= hole && home > slot)) {
                keys[hole << 1] = keys[slot << 1];
                keys[(hole << 1) + 1] = keys[(slot << 1) + 1];
                values[hole] = values[slot];
                values[slot] = MISSING;
                hole = slot;
            }
            slot = (slot + 1) & mask;
        }
    }
}
