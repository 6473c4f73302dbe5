package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;

/**
 * PUNT, fastpath to slowpath: a packet the fastpath did not forward, with why ({@link PuntReason}) and its flow key
 * (as far as the packet could be parsed). The packet is the VXLAN payload as received, from the VXLAN header on.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 2)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Reason     |   Reserved    |         Packet Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Flow Key (16 bytes, FlowKeyFlyweight)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Packet ...                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class PuntFlyweight {

    public static final int REASON_OFFSET = 12;
    public static final int PACKET_LENGTH_OFFSET = 14;
    public static final int KEY_OFFSET = 16;
    public static final int PACKET_OFFSET = KEY_OFFSET + FlowKeyFlyweight.KEY_LENGTH;
    /** The largest packet a PUNT can carry. */
    public static final int MAX_PACKET_LENGTH = ControlProtocol.MAX_MESSAGE_LENGTH - PACKET_OFFSET;

    private PuntFlyweight() {
    }

    /**
     * Writes a PUNT carrying {@code packetLength} bytes of {@code packet} from {@code packetOffset}; returns the
     * message length. The caller keeps {@code packetLength <= MAX_PACKET_LENGTH}.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int reason, long keyHigh,
            long keyLow, ByteBuffer packet, int packetOffset, int packetLength) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.PUNT, fastpathId, sequence);
        buffer.put(offset + REASON_OFFSET, (byte) reason);
        buffer.put(offset + REASON_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + PACKET_LENGTH_OFFSET, (short) packetLength);
        FlowKeyFlyweight.encodeKey(buffer, offset + KEY_OFFSET, keyHigh, keyLow);
        buffer.put(offset + PACKET_OFFSET, packet, packetOffset, packetLength);
        return PACKET_OFFSET + packetLength;
    }

    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= PACKET_OFFSET && PACKET_OFFSET + packetLength(buffer, offset) <= length;
    }

    public static int reason(ByteBuffer buffer, int offset) {
        return buffer.get(offset + REASON_OFFSET) & 0xFF;
    }

    public static int packetLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + PACKET_LENGTH_OFFSET) & 0xFFFF;
    }

    public static FlowKey key(ByteBuffer buffer, int offset) {
        return FlowKeyFlyweight.key(buffer, offset + KEY_OFFSET);
    }
}
