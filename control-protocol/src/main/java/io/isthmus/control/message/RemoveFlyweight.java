package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.List;

import io.isthmus.control.FlowKey;

/**
 * REMOVE, slowpath to fastpath: flow rules by key, or every rule ({@link #REMOVE_ALL}, which a slowpath sends a
 * fastpath it registers; the fastpath then also forgets its routes and SAs and what a WELCOME told it).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 4)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Flags     |   Reserved    |           Key Count           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Flow Keys ... (16 bytes each)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RemoveFlyweight {

    public static final int FLAGS_OFFSET = 12;
    public static final int KEY_COUNT_OFFSET = 14;
    public static final int KEYS_OFFSET = 16;
    /** Flag: remove every rule (the keys, if any, are ignored). */
    public static final int REMOVE_ALL = 1;

    private RemoveFlyweight() {
    }

    /** Writes a REMOVE of {@code keys}; returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, List<FlowKey> keys) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.REMOVE, fastpathId, sequence);
        buffer.put(offset + FLAGS_OFFSET, (byte) 0);
        buffer.put(offset + FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + KEY_COUNT_OFFSET, (short) keys.size());
        int cursor = offset + KEYS_OFFSET;
        for (FlowKey key : keys) {
            FlowKeyFlyweight.encodeKey(buffer, cursor, key.high(), key.low());
            cursor += FlowKeyFlyweight.KEY_LENGTH;
        }
        return cursor - offset;
    }

    /** Writes a REMOVE of every rule; returns the message length. */
    public static int encodeAll(ByteBuffer buffer, int offset, int fastpathId, int sequence) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.REMOVE, fastpathId, sequence);
        buffer.put(offset + FLAGS_OFFSET, (byte) REMOVE_ALL);
        buffer.put(offset + FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + KEY_COUNT_OFFSET, (short) 0);
        return KEYS_OFFSET;
    }

    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** Whether the message is a well-formed REMOVE of every rule. */
    public static boolean isRemoveAll(ByteBuffer buffer, int offset, int length) {
        return length >= KEYS_OFFSET && (flags(buffer, offset) & REMOVE_ALL) != 0;
    }

    /** Hands each key to {@code visitor}; returns the key count, or -1 (visiting nothing) if malformed. */
    public static int decode(ByteBuffer buffer, int offset, int length, FlowKeyFlyweight.KeyVisitor visitor) {
        return FlowKeyFlyweight.decodeKeys(buffer, offset, length, KEY_COUNT_OFFSET, KEYS_OFFSET, visitor);
    }
}
