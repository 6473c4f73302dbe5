package io.isthmus.fastpath.io;

import java.nio.ByteBuffer;

/**
 * Receives one packet; the buffer is the I/O's own and only valid during the call. The packet may be rewritten in
 * place, and grown in place up to the buffer's capacity (e.g. by ESP): no other packet lies after it. Sending it from
 * this buffer during the call lets the I/O send it without a copy ({@link MmsgPacketIo}).
 * <p>
 * A handler that {@link #prefetches()} is first shown every packet of a received batch ({@link #prefetch}, then
 * {@link #prefetched()}) before the first of them reaches {@link #onPacket}: it can start the memory loads each
 * packet will need (its flow-table slot, its action program) for the whole batch, so that their cache misses overlap
 * instead of following one another. I/O that receives one packet at a time ({@link DatagramPacketIo}) skips it.
 */
@FunctionalInterface
public interface PacketHandler {
    void onPacket(ByteBuffer buffer, int offset, int length);

    /** Whether to show this handler each batch ahead ({@link #prefetch}); asked once per batch. */
    default boolean prefetches() {
        return false;
    }

    /**
     * A packet of the batch about to be handed over, in the order {@link #onPacket} will get them (a packet shown here
     * may still be left out, e.g. truncated). Read-only, valid during the call.
     */
    default void prefetch(ByteBuffer buffer, int offset, int length) {
    }

    /** The batch has been shown; its packets come next. */
    default void prefetched() {
    }
}
