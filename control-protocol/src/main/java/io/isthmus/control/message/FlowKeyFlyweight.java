package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;

/**
 * A flow key inside a message (PUNT, INSTALL, REMOVE, FLOW_EXPIRED), 16 bytes; it packs into the two longs of
 * {@link FlowKey#high()} and {@link FlowKey#low()}, which is how the data plane handles it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   VNI                         |   Protocol    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Destination Address                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class FlowKeyFlyweight {

    public static final int KEY_VNI_PROTOCOL_OFFSET = 0;
    public static final int KEY_SRC_ADDRESS_OFFSET = 4;
    public static final int KEY_DST_ADDRESS_OFFSET = 8;
    public static final int KEY_SRC_PORT_OFFSET = 12;
    public static final int KEY_DST_PORT_OFFSET = 14;
    public static final int KEY_LENGTH = 16;

    private FlowKeyFlyweight() {
    }

    /** Receives the keys of a REMOVE or FLOW_EXPIRED without allocating. */
    @FunctionalInterface
    public interface KeyVisitor {
        void onKey(long keyHigh, long keyLow);
    }

    public static void encodeKey(ByteBuffer buffer, int offset, long keyHigh, long keyLow) {
        buffer.putInt(offset + KEY_VNI_PROTOCOL_OFFSET, (int) (keyHigh >>> 32));
        buffer.putInt(offset + KEY_SRC_ADDRESS_OFFSET, (int) (keyLow >>> 32));
        buffer.putInt(offset + KEY_DST_ADDRESS_OFFSET, (int) keyLow);
        buffer.putInt(offset + KEY_SRC_PORT_OFFSET, (int) keyHigh);
    }

    public static long keyHigh(ByteBuffer buffer, int offset) {
        return ((buffer.getInt(offset + KEY_VNI_PROTOCOL_OFFSET) & 0xFFFF_FFFFL) << 32)
                | (buffer.getInt(offset + KEY_SRC_PORT_OFFSET) & 0xFFFF_FFFFL);
    }

    public static long keyLow(ByteBuffer buffer, int offset) {
        return ((long) buffer.getInt(offset + KEY_SRC_ADDRESS_OFFSET) << 32)
                | (buffer.getInt(offset + KEY_DST_ADDRESS_OFFSET) & 0xFFFF_FFFFL);
    }

    public static FlowKey key(ByteBuffer buffer, int offset) {
        return FlowKey.unpack(keyHigh(buffer, offset), keyLow(buffer, offset));
    }

    /**
     * The key list of REMOVE and FLOW_EXPIRED (a 16-bit count at {@code countOffset}, the keys from
     * {@code keysOffset}): hands each key to {@code visitor}; returns the count, or -1 (visiting nothing) if the keys
     * overrun the message.
     */
    static int decodeKeys(ByteBuffer buffer, int offset, int length, int countOffset, int keysOffset,
            KeyVisitor visitor) {
        if (length < keysOffset) {
            return -1;
        }
        int count = buffer.getShort(offset + countOffset) & 0xFFFF;
        if (keysOffset + count * KEY_LENGTH > length) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            int cursor = offset + keysOffset + i * KEY_LENGTH;
            visitor.onKey(keyHigh(buffer, cursor), keyLow(buffer, cursor));
        }
        return count;
    }
}
