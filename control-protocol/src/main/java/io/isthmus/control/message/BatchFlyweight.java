package io.isthmus.control.message;

import java.nio.ByteBuffer;

/**
 * REINJECT_BATCH (slowpath to fastpath) and PUNT_BATCH (fastpath to slowpath): several entries in one datagram,
 * each after its length. A REINJECT_BATCH entry is a packet handled as a REINJECT's, sent only to a fastpath whose
 * HELLO has {@link HelloFlyweight#REINJECT_BATCH}; a PUNT_BATCH entry is a whole PUNT message, sent only after a
 * WELCOME with {@link WelcomeFlyweight#PUNT_BATCH}. Both stay within {@link ControlProtocol#MAX_BATCH_BYTES}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Header (12 bytes, type 9 or 11)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Entry Count          |           Reserved            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Entry Length          |        Entry ...              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Entry Length          |        Entry ...              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class BatchFlyweight {

    public static final int COUNT_OFFSET = 12;
    public static final int ENTRIES_OFFSET = 16;
    public static final int ENTRY_HEADER = 2;

    private BatchFlyweight() {
    }

    /** Receives the entries of a batch, in order. */
    @FunctionalInterface
    public interface PacketVisitor {
        void onPacket(ByteBuffer buffer, int offset, int length);
    }

    /**
     * Starts a batch ({@link ControlProtocol#REINJECT_BATCH} or {@link ControlProtocol#PUNT_BATCH}) without entries;
     * returns its length, to pass to {@link #append}.
     */
    public static int encode(ByteBuffer buffer, int offset, int type, int fastpathId, int sequence) {
        ControlProtocol.encodeHeader(buffer, offset, type, fastpathId, sequence);
        buffer.putShort(offset + COUNT_OFFSET, (short) 0);
        buffer.putShort(offset + COUNT_OFFSET + 2, (short) 0);
        return ENTRIES_OFFSET;
    }

    /**
     * Appends an entry (a packet to re-inject, or a whole PUNT message) to the batch at {@code offset} whose length is
     * {@code messageLength}; returns the new length. The caller keeps the batch within its limit
     * ({@link #entryLength}).
     */
    public static int append(ByteBuffer buffer, int offset, int messageLength, ByteBuffer entry, int entryOffset,
            int entryLength) {
        int at = offset + messageLength;
        buffer.putShort(at, (short) entryLength);
        buffer.put(at + ENTRY_HEADER, entry, entryOffset, entryLength);
        buffer.putShort(offset + COUNT_OFFSET, (short) (count(buffer, offset) + 1));
        return messageLength + ENTRY_HEADER + entryLength;
    }

    /** The bytes an entry of {@code entryLength} adds to a batch. */
    public static int entryLength(int entryLength) {
        return ENTRY_HEADER + entryLength;
    }

    public static int count(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + COUNT_OFFSET) & 0xFFFF;
    }

    /**
     * Hands each entry of a batch to {@code visitor}; returns the count, or -1 if the message is malformed (its
     * entries overrun it, or its count is wrong), in which case none was handed over.
     */
    public static int decode(ByteBuffer buffer, int offset, int length, PacketVisitor visitor) {
        if (length < ENTRIES_OFFSET) {
            return -1;
        }
        int count = count(buffer, offset);
        int cursor = ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            if (cursor + ENTRY_HEADER > length) {
                return -1;
            }
            cursor += ENTRY_HEADER + (buffer.getShort(offset + cursor) & 0xFFFF);
            if (cursor > length) {
                return -1;
            }
        }
        if (cursor != length) {
            return -1;
        }
        cursor = ENTRIES_OFFSET;
        for (int i = 0; i < count; i++) {
            int entryLength = buffer.getShort(offset + cursor) & 0xFFFF;
            visitor.onPacket(buffer, offset + cursor + ENTRY_HEADER, entryLength);
            cursor += ENTRY_HEADER + entryLength;
        }
        return count;
    }
}
