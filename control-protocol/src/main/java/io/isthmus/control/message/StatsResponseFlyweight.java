package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.FastpathStats;

/**
 * STATS_RESPONSE, fastpath to slowpath: the worker's counters in {@link FastpathStats} index order; counters are
 * only ever appended, and a reader ignores those it does not know.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 7)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Counter Count         |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Counters ... (8 bytes each)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StatsResponseFlyweight {

    public static final int COUNTER_COUNT_OFFSET = 12;
    public static final int COUNTERS_OFFSET = 16;

    private StatsResponseFlyweight() {
    }

    /** Writes a STATS_RESPONSE of the first {@code count} of {@code counters}; returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, long[] counters, int count) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.STATS_RESPONSE, fastpathId, sequence);
        buffer.putShort(offset + COUNTER_COUNT_OFFSET, (short) count);
        buffer.putShort(offset + COUNTER_COUNT_OFFSET + 2, (short) 0);
        for (int i = 0; i < count; i++) {
            buffer.putLong(offset + COUNTERS_OFFSET + i * Long.BYTES, counters[i]);
        }
        return COUNTERS_OFFSET + count * Long.BYTES;
    }

    /** Decodes a STATS_RESPONSE, or returns null if it is malformed. */
    public static FastpathStats decode(ByteBuffer buffer, int offset, int length) {
        if (length < COUNTERS_OFFSET) {
            return null;
        }
        int count = buffer.getShort(offset + COUNTER_COUNT_OFFSET) & 0xFFFF;
        if (COUNTERS_OFFSET + count * Long.BYTES > length) {
            return null;
        }
        long[] values = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < Math.min(count, FastpathStats.COUNTER_COUNT); i++) {
            values[i] = buffer.getLong(offset + COUNTERS_OFFSET + i * Long.BYTES);
        }
        return FastpathStats.of(values);
    }
}
