package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

import io.isthmus.fastpath.control.ControlProtocol;
import io.isthmus.fastpath.control.Rule;

/** Encodes and sends the slowpath's messages to fastpaths. Thread-safe; buffers are per message (control rate). */
public final class FastpathMessenger {

    /** Rules per INSTALL: 512 rules of the longest program still fit a datagram. */
    static final int RULES_PER_MESSAGE = 512;

    private final ControlChannel channel;
    private int sequence;

    public FastpathMessenger(ControlChannel channel) {
        this.channel = channel;
    }

    /** Sends INSTALLs of {@code rules} to each fastpath; returns how many fastpaths got all of them. */
    public int install(Collection<RegisteredFastpath> fastpaths, List<Rule> rules) {
        int reached = 0;
        for (RegisteredFastpath fastpath : fastpaths) {
            if (install(fastpath.id(), fastpath.controlAddress(), rules)) {
                reached++;
            }
        }
        return reached;
    }

    /** Sends INSTALLs of {@code rules} to one fastpath. */
    public boolean install(int fastpathId, InetSocketAddress to, List<Rule> rules) {
        boolean sent = true;
        for (int from = 0; from < rules.size(); from += RULES_PER_MESSAGE) {
            List<Rule> batch = rules.subList(from, Math.min(rules.size(), from + RULES_PER_MESSAGE));
            ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.installLength(batch));
            int length = ControlProtocol.encodeInstall(buffer, 0, fastpathId, nextSequence(), batch);
            sent &= channel.send(buffer, length, to);
        }
        return sent;
    }

    /** Tells a fastpath to remove every rule. */
    public boolean removeAll(int fastpathId, InetSocketAddress to) {
        ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.REMOVE_KEYS_OFFSET);
        int length = ControlProtocol.encodeRemoveAll(buffer, 0, fastpathId, nextSequence());
        return channel.send(buffer, length, to);
    }

    /** Sends a packet back through a fastpath's flow table. */
    public boolean reinject(int fastpathId, InetSocketAddress to, ByteBuffer packet, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.REINJECT_PACKET_OFFSET + length);
        int messageLength = ControlProtocol.encodeReinject(buffer, 0, fastpathId, nextSequence(), packet, offset,
                length);
        return channel.send(buffer, messageLength, to);
    }

    /** Asks a fastpath for its counters, tagged with {@code sequence}. */
    public boolean requestStats(int fastpathId, InetSocketAddress to, int sequence) {
        ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.HEADER_LENGTH);
        int length = ControlProtocol.encodeStatsRequest(buffer, 0, fastpathId, sequence);
        return channel.send(buffer, length, to);
    }

    private synchronized int nextSequence() {
        return ++sequence;
    }
}
