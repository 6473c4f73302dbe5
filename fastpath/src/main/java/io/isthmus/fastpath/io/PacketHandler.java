package io.isthmus.fastpath.io;

import java.nio.ByteBuffer;

/** Receives one packet; the buffer is the I/O's own and only valid during the call (it may be rewritten in place). */
@FunctionalInterface
public interface PacketHandler {
    void onPacket(ByteBuffer buffer, int offset, int length);
}
