package io.isthmus.fastpath.control;

import java.nio.ByteBuffer;

/**
 * One fastpath worker's counters as a STATS_RESPONSE carries them. The {@code *_INDEX} constants are the counters'
 * positions on the wire; new counters are only ever appended.
 */
public record FastpathStats(long packets, long bytes, long hits, long misses, long punts, long puntDrops, long drops,
        long errors, long flows, long installRejects, long reinjects) {

    /** Packets received on the data port. */
    public static final int PACKETS_INDEX = 0;
    /** Bytes (VXLAN payloads) received on the data port. */
    public static final int BYTES_INDEX = 1;
    /** Packets that matched a rule. */
    public static final int HITS_INDEX = 2;
    /** Parsed packets with no rule. */
    public static final int MISSES_INDEX = 3;
    /** Packets handed to the slowpath (misses and unsupported packets). */
    public static final int PUNTS_INDEX = 4;
    /** Packets that should have been punted but were shed by the punt limit or a full socket. */
    public static final int PUNT_DROPS_INDEX = 5;
    /** Packets dropped for any reason but an error: drop actions, TTL expiry, punt drops, a full socket. */
    public static final int DROPS_INDEX = 6;
    /** Malformed packets or control messages, and unexpected failures of the worker. */
    public static final int ERRORS_INDEX = 7;
    /** Rules in the flow table now (a gauge). */
    public static final int FLOWS_INDEX = 8;
    /** Rules refused because the flow table or the next-hop table was full. */
    public static final int INSTALL_REJECTS_INDEX = 9;
    /** Packets re-injected by the slowpath. */
    public static final int REINJECTS_INDEX = 10;
    /** How many counters this version knows. */
    public static final int COUNTER_COUNT = 11;

    /** Reads {@code count} counters at {@code offset}; counters this version does not know are ignored. */
    static FastpathStats read(ByteBuffer buffer, int offset, int count) {
        long[] values = new long[COUNTER_COUNT];
        for (int i = 0; i < Math.min(count, COUNTER_COUNT); i++) {
            values[i] = buffer.getLong(offset + i * Long.BYTES);
        }
        return new FastpathStats(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                values[7], values[8], values[9], values[10]);
    }
}
