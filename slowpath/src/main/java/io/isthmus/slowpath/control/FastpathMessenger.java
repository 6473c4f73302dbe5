package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.StatsRequestFlyweight;

/**
 * Sends the slowpath's occasional messages from any thread (a buffer per message). Rules, removals and re-injects
 * are the policy thread's and go through {@link PolicyDriver}.
 */
public final class FastpathMessenger {

    private final ControlSender sender;

    public FastpathMessenger(ControlSender sender) {
        this.sender = sender;
    }

    /** Asks a fastpath for its counters, tagged with {@code sequence}. */
    public boolean requestStats(int fastpathId, InetSocketAddress to, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.HEADER_LENGTH);
        int length = StatsRequestFlyweight.encode(buffer, 0, fastpathId, sequence);
        return sender.send(buffer, 0, length, to);
    }
}
