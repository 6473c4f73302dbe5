package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * REMOVE_SA, slowpath to fastpath (additive, with {@link HelloFlyweight#INSTALL_SA}): empties one slot of the
 * fastpath's SA table; packets of rules that still name it are dropped and counted as ESP errors.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 13)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SA Index                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RemoveSaFlyweight {

    public static final int SA_INDEX_OFFSET = 12;
    public static final int LENGTH = 16;

    private RemoveSaFlyweight() {
    }

    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, int saIndex) {
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.REMOVE_SA, fastpathId, sequence);
        buffer.putInt(offset + SA_INDEX_OFFSET, saIndex);
        return LENGTH;
    }

    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        return length >= LENGTH && saIndex(buffer, offset) >= 0;
    }

    public static int saIndex(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + SA_INDEX_OFFSET);
    }
}
