package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.FlowKey;

/**
 * FLOW_EXPIRED, fastpath to slowpath (additive): rules the fastpath has already removed because their idle timeout
 * passed without a hit, at most {@link #MAX_KEYS} per message. The slowpath releases what it bound to them (a NAT
 * binding whose forward and reverse rules have both expired in every fastpath). Best effort: a lost FLOW_EXPIRED
 * leaves the slowpath's binding until the next one or a REMOVE; a receiver ignores flags it does not know. The same
 * layout as REMOVE.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 8)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Flags     |   Reserved    |           Key Count           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Flow Keys ... (16 bytes each)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class FlowExpiredFlyweight {

    public static final int FLAGS_OFFSET = 12;
    public static final int KEY_COUNT_OFFSET = 14;
    public static final int KEYS_OFFSET = 16;
    /** Flag: the rules expired because no packet hit them within the idle timeout. */
    public static final int EXPIRED_IDLE = 1;
    /** The most keys a fastpath puts in one FLOW_EXPIRED (1,040 bytes: one unfragmented datagram). */
    public static final int MAX_KEYS = 64;

    private FlowExpiredFlyweight() {
    }

    /**
     * Writes a FLOW_EXPIRED of the first {@code count} keys of {@code keyHighs}/{@code keyLows} (packed as
     * {@link FlowKey#high()}/{@link FlowKey#low()}); returns the message length. Allocates nothing.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags, long[] keyHighs,
            long[] keyLows, int count) {
        if (count < 0 || count > 0xFFFF) {
            throw new IllegalArgumentException("key count out of range: " + count);
        }
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.FLOW_EXPIRED, fastpathId, sequence);
        buffer.put(offset + FLAGS_OFFSET, (byte) flags);
        buffer.put(offset + FLAGS_OFFSET + 1, (byte) 0);
        buffer.putShort(offset + KEY_COUNT_OFFSET, (short) count);
        for (int i = 0; i < count; i++) {
            FlowKeyFlyweight.encodeKey(buffer, offset + KEYS_OFFSET + i * FlowKeyFlyweight.KEY_LENGTH, keyHighs[i],
                    keyLows[i]);
        }
        return KEYS_OFFSET + count * FlowKeyFlyweight.KEY_LENGTH;
    }

    /** Writes a FLOW_EXPIRED of {@code keys} (control plane and tests); returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags,
            List<FlowKey> keys) {
        long[] highs = new long[keys.size()];
        long[] lows = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            highs[i] = keys.get(i).high();
            lows[i] = keys.get(i).low();
        }
        return encode(buffer, offset, fastpathId, sequence, flags, highs, lows, keys.size());
    }

    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.get(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** Hands each expired key to {@code visitor}; returns the key count, or -1 (visiting nothing) if malformed. */
    public static int decode(ByteBuffer buffer, int offset, int length, FlowKeyFlyweight.KeyVisitor visitor) {
        return FlowKeyFlyweight.decodeKeys(buffer, offset, length, KEY_COUNT_OFFSET, KEYS_OFFSET, visitor);
    }

    /** Decodes the keys of a FLOW_EXPIRED, or returns null if it is malformed (control plane and tests). */
    public static List<FlowKey> decode(ByteBuffer buffer, int offset, int length) {
        List<FlowKey> keys = new ArrayList<>();
        int count = decode(buffer, offset, length, (high, low) -> keys.add(FlowKey.unpack(high, low)));
        return count < 0 ? null : keys;
    }
}
