package io.isthmus.vnf.nat;

import java.util.BitSet;

/**
 * Hands out the numbers of a range, next-fit: the search starts after the last one given, so one just released is the
 * last to be reused (a late packet of the old flow is less likely to meet a new one). {@link AddressPool} hands out
 * its port blocks with it.
 */
public final class PortAllocator {

    /** No port left. */
    public static final int NONE = -1;

    private final int first;
    private final int count;
    private final BitSet used;
    private int next;
    private int inUse;

    /** A range of {@code first..last} inclusive. */
    public PortAllocator(int first, int last) {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad port range " + first + ".." + last);
        }
        this.first = first;
        this.count = last - first + 1;
        this.used = new BitSet(count);
    }

    /** A free port, now in use; {@link #NONE} if the range is exhausted. */
    public int allocate() {
        if (inUse == count) {
            return NONE;
        }
        int index = used.nextClearBit(next);
        if (index >= count) {
            index = used.nextClearBit(0);
        }
        used.set(index);
        inUse++;
        next = index + 1 == count ? 0 : index + 1;
        return first + index;
    }

    /**
     * Takes this port if it is free (one a binding held before the slowpath restarted); the next-fit search is not
     * moved. Returns whether it was free.
     */
    public boolean allocate(int port) {
        int index = port - first;
        if (index < 0 || index >= count || used.get(index)) {
            return false;
        }
        used.set(index);
        inUse++;
        return true;
    }

    /** Gives a port back; releasing a free or foreign port is a no-op. */
    public void release(int port) {
        int index = port - first;
        if (index >= 0 && index < count && used.get(index)) {
            used.clear(index);
            inUse--;
        }
    }

    public boolean isInUse(int port) {
        int index = port - first;
        return index >= 0 && index < count && used.get(index);
    }

    public int inUse() {
        return inUse;
    }

    public int available() {
        return count - inUse;
    }
}
