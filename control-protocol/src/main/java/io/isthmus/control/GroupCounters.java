package io.isthmus.control;

/**
 * The packets and bytes of one counter group ({@link Action.Count#group()}): one fastpath's as its STATS_RESPONSE
 * carries them, or a sum over fastpaths.
 */
public record GroupCounters(long packets, long bytes) {

    public static final GroupCounters ZERO = new GroupCounters(0, 0);

    public GroupCounters plus(GroupCounters other) {
        return new GroupCounters(packets + other.packets, bytes + other.bytes);
    }

    /** Whether either counter is below {@code earlier}'s: the fastpath that counted them started again. */
    public boolean isBelow(GroupCounters earlier) {
        return packets < earlier.packets || bytes < earlier.bytes;
    }
}
