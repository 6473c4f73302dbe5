package io.isthmus.slowpath.control;

import java.util.Arrays;

import io.isthmus.control.FlowKey;

/**
 * The rules this slowpath installed, by packed flow key: which fastpaths were given each one (its holders) and which
 * have reported it expired (FLOW_EXPIRED: the fastpath already dropped it after its idle timeout). A rule has expired
 * everywhere once every holder that is still registered has reported it; only then is the policy told, because a
 * flow idle on one fastpath (or worker) may be busy on another.
 * <p>
 * Fastpaths are bits of a 64-bit mask, handed out by {@link PolicyDriver} as they register; a bit handed to a new
 * fastpath is {@link #forget forgotten} first.
 * <p>
 * Open addressing with linear probing and backward-shift deletion over parallel primitive arrays; grows by doubling at
 * half full. Single-threaded: the policy thread owns it.
 */
final class FlowLedger {

    /** A packed key's high half has its top byte clear ({@code FlowKey.packHigh}), so -1 marks a free slot. */
    private static final long FREE = -1L;
    private static final int INITIAL_CAPACITY = 1024;

    private long[] highs;
    private long[] lows;
    private long[] holders;
    private long[] reporters;
    private int mask;
    private int size;

    FlowLedger() {
        allocate(INITIAL_CAPACITY);
    }

    /** The rule was (re)installed in {@code holderMask}'s fastpaths: earlier reports no longer count. */
    void installed(long high, long low, long holderMask) {
        int slot = find(high, low);
        if (slot < 0) {
            if (size + 1 > (mask + 1) >>> 1) {
                grow();
            }
            slot = probe(high, low);
            highs[slot] = high;
            lows[slot] = low;
            size++;
        }
        holders[slot] = holderMask;
        reporters[slot] = 0;
    }

    /** A fastpath of {@code holderMask} holds the rule already (it said so in a FLOW_DUMP): it joins its holders. */
    void learned(long high, long low, long holderMask) {
        int slot = find(high, low);
        if (slot < 0) {
            installed(high, low, holderMask);
        } else {
            holders[slot] |= holderMask;
        }
    }

    /**
     * The fastpath of bit {@code reporter} reports the rule expired. Returns true, and forgets the rule, if every holder
     * in {@code liveMask} has now reported it; false if some has not, or the rule is not known here.
     */
    boolean reported(long high, long low, long reporter, long liveMask) {
        int slot = find(high, low);
        if (slot < 0) {
            return false;
        }
        long reported = reporters[slot] | reporter;
        long needed = holders[slot] & liveMask;
        if ((reported & needed) != needed) {
            reporters[slot] = reported;
            return false;
        }
        delete(slot);
        return true;
    }

    boolean contains(long high, long low) {
        return find(high, low) >= 0;
    }

    void remove(long high, long low) {
        int slot = find(high, low);
        if (slot >= 0) {
            delete(slot);
        }
    }

    /**
     * The fastpath of bit {@code fastpath} (re)registered with an empty table, or the bit now stands for another one: it
     * holds none of the rules and its old reports mean nothing. This expires nothing by itself: a flow that was busy
     * on it comes back as a miss.
     */
    void forget(long fastpath) {
        long keep = ~fastpath;
        for (int slot = 0; slot <= mask; slot++) {
            if (highs[slot] != FREE) {
                holders[slot] &= keep;
                reporters[slot] &= keep;
            }
        }
    }

    void clear() {
        Arrays.fill(highs, FREE);
        size = 0;
    }

    int size() {
        return size;
    }

    /** The slot of the key, or {@code -(insertion slot) - 1}. */
    private int find(long high, long low) {
        int slot = hash(high, low) & mask;
        while (highs[slot] != FREE) {
            if (highs[slot] == high && lows[slot] == low) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -slot - 1;
    }

    private int probe(long high, long low) {
        int slot = hash(high, low) & mask;
        while (highs[slot] != FREE) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Backward-shift deletion: no tombstones, probe chains stay short. */
    private void delete(int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (highs[next] != FREE) {
            int home = hash(highs[next], lows[next]) & mask;
            // move next into the hole unless its home lies cyclically in (hole, next]
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                highs[hole] = highs[next];
                lows[hole] = lows[next];
                holders[hole] = holders[next];
                reporters[hole] = reporters[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        highs[hole] = FREE;
        size--;
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        long[] oldHolders = holders;
        long[] oldReporters = reporters;
        allocate(oldHighs.length << 1);
        for (int i = 0; i < oldHighs.length; i++) {
            if (oldHighs[i] != FREE) {
                int slot = probe(oldHighs[i], oldLows[i]);
                highs[slot] = oldHighs[i];
                lows[slot] = oldLows[i];
                holders[slot] = oldHolders[i];
                reporters[slot] = oldReporters[i];
            }
        }
    }

    private void allocate(int capacity) {
        highs = new long[capacity];
        lows = new long[capacity];
        holders = new long[capacity];
        reporters = new long[capacity];
        Arrays.fill(highs, FREE);
        mask = capacity - 1;
    }

    private static int hash(long high, long low) {
        long h = (high * 0x9E37_79B9_7F4A_7C15L) ^ (low * 0xC2B2_AE3D_27D4_EB4FL);
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
