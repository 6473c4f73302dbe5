package io.isthmus.fastpath.io;

import java.nio.ByteBuffer;

/**
 * Receives one packet; the buffer is the I/O's own and only valid during the call. The packet may be rewritten in
 * place, and grown in place up to the buffer's capacity (e.g. by ESP): no other packet lies after it. Sending it from
 * this buffer during the call lets the I/O send it without a copy ({@link MmsgPacketIo}).
 */
@FunctionalInterface
public interface PacketHandler {
    void onPacket(ByteBuffer buffer, int offset, int length);
}
