package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * WELCOME, slowpath to fastpath (additive): which additive messages the slowpath takes. Sent after every REMOVE of
 * all rules (which a slowpath sends a fastpath it registers); a fastpath forgets what a WELCOME told it at a REMOVE of
 * all rules, so a slowpath that sends none is never sent what it does not know.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 10)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Flags             |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class WelcomeFlyweight {

    public static final int FLAGS_OFFSET = 12;
    public static final int LENGTH = 16;

    /** The slowpath takes PUNT_BATCH. */
    public static final int PUNT_BATCH = 1;

    private WelcomeFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int flags) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.WELCOME, fastpathId, sequence);
        buffer.putShort(offset + FLAGS_OFFSET, (short) flags);
        buffer.putShort(offset + FLAGS_OFFSET + 2, (short) 0);
        return LENGTH;
    }

    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= LENGTH;
    }

    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET) & 0xFFFF;
    }
}
