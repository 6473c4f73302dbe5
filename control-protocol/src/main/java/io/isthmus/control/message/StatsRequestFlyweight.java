package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * STATS_REQUEST, slowpath to fastpath: asks for the fastpath's counters; the STATS_RESPONSE echoes the sequence.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Header (12 bytes, type 6), no body                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class StatsRequestFlyweight {

    public static final int LENGTH = ControlProtocol.HEADER_LENGTH;

    private StatsRequestFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        return ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.STATS_REQUEST, fastpathId, sequence);
    }
}
