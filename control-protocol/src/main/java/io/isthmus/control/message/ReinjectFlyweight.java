package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * REINJECT, slowpath to fastpath: a packet the slowpath decided, to run through the fastpath's table again; a
 * re-injected packet that misses is dropped, never punted again.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 5)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Reserved            |         Packet Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Packet ...                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReinjectFlyweight {

    public static final int PACKET_LENGTH_OFFSET = 14;
    public static final int PACKET_OFFSET = 16;
    /** The largest packet a REINJECT can carry. */
    public static final int MAX_PACKET_LENGTH = ControlProtocol.MAX_MESSAGE_LENGTH - PACKET_OFFSET;

    private ReinjectFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, ByteBuffer packet,
            int packetOffset, int packetLength) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.REINJECT, fastpathId, sequence);
        buffer.putShort(offset + ControlProtocol.HEADER_LENGTH, (short) 0);
        buffer.putShort(offset + PACKET_LENGTH_OFFSET, (short) packetLength);
        buffer.put(offset + PACKET_OFFSET, packet, packetOffset, packetLength);
        return PACKET_OFFSET + packetLength;
    }

    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= PACKET_OFFSET && PACKET_OFFSET + packetLength(buffer, offset) <= length;
    }

    public static int packetLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + PACKET_LENGTH_OFFSET) & 0xFFFF;
    }
}
