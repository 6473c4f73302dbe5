package io.isthmus.fastpath.worker;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;

/**
 * Looks a received batch up ahead, so that its cache misses overlap: a packet costs a random access into the flow
 * table (its slot, which holds its action program too when the program has at most four actions, as NAT's have), and
 * in a table bigger than the caches that is a cache miss, and on a virtual machine often a TLB miss with a nested page
 * walk as well (about 165 ns on the 2-core benchmark machine). Processed one after the other, a packet's work is too
 * long for the CPU to reach the next packet's loads while the first waits, so the misses queue. Here {@link #add}
 * only reads each packet's key; {@link #finish} then loads every key's slot in a tight loop, so the misses are in
 * flight together, and, if some installed programs are too long for their slots, finds each program in its now
 * cached slot and loads the program's line the same way. The packets are then processed as usual, on cached data.
 * Java has no prefetch instruction: the loads' values are folded into a field so the JIT keeps them. (Loading the
 * slot right after each parse, in the same loop, was 4 times slower: a parse is long enough to fill the CPU's
 * reorder buffer behind the miss.)
 * <p>
 * Worth it only when the flows outgrow the caches: {@link #worthwhile} says when. At most {@link #MAX_BATCH} packets
 * a batch are looked ahead; the rest go as they come. Allocates nothing.
 */
public final class BatchPrefetcher {

    /** Packets looked up ahead per batch: the receive batch of {@code MmsgPacketIo}, two GRO trains or so. */
    public static final int MAX_BATCH = 64;
    /**
     * Flows from which looking ahead pays: 32K flows fill 2 MiB of slots, more than a core's L2 cache holds beside the
     * packets; under that the look-ahead costs more than it saves.
     */
    public static final int MIN_FLOWS = 32 * 1024;

    private final ForwardingEngine engine;
    /** Version 4, header length 5 words. */
    private static final byte IPV4_WITHOUT_OPTIONS = 0x45;
    /** VXLAN, Ethernet, IPv4 without options and the two ports. */
    private static final int PEEK_LENGTH = PacketParser.IPV4_OFFSET_IN_PACKET + Ipv4Flyweight.MIN_HEADER_LENGTH + 4;
    private final long[] keyHighs = new long[MAX_BATCH];
    private final long[] keyLows = new long[MAX_BATCH];
    private int count;
    @SuppressWarnings("unused")
    private int loaded;

    public BatchPrefetcher(ForwardingEngine engine) {
        this.engine = engine;
    }

    /** Whether looking ahead pays for the engine's flows now. */
    public boolean worthwhile() {
        return engine.flowCount() >= MIN_FLOWS;
    }

    /**
     * Takes a packet of the batch: reads its key where a TCP or UDP packet without IPv4 options has it, without
     * checking anything else (about 5 ns where a parse costs 22): a prefetch of a wrong key only costs a wasted
     * load, since the packet is parsed properly when it is processed. Other packets are not looked up ahead.
     */
    public void add(ByteBuffer buffer, int offset, int length) {
        if (count == MAX_BATCH || length < PEEK_LENGTH) {
            return;
        }
        int ip = offset + PacketParser.IPV4_OFFSET_IN_PACKET;
        int protocol = buffer.get(ip + 9) & 0xFF;
        if (buffer.get(ip) != IPV4_WITHOUT_OPTIONS || (protocol != FlowKey.UDP && protocol != FlowKey.TCP)) {
            return;
        }
        int vni = buffer.getInt(offset + 4) >>> 8;
        int ports = buffer.getInt(ip + Ipv4Flyweight.MIN_HEADER_LENGTH);
        keyHighs[count] = FlowKey.packHigh(vni, protocol, ports >>> 16, ports);
        keyLows[count] = FlowKey.packLow(buffer.getInt(ip + 12), buffer.getInt(ip + 16));
        count++;
    }

    /** Packets taken since the last {@link #finish} (tests). */
    int taken() {
        return count;
    }

    /** The key {@link #add} read for the {@code i}th packet it took (tests). */
    long keyHigh(int i) {
        return keyHighs[i];
    }

    long keyLow(int i) {
        return keyLows[i];
    }

    /** Loads the batch's slots, then its programs; then starts over. */
    public void finish() {
        int folded = loaded;
        int keys = count;
        for (int i = 0; i < keys; i++) {
            folded ^= engine.prefetchSlot(keyHighs[i], keyLows[i]);
        }
        if (engine.hasOutOfLinePrograms()) {
            for (int i = 0; i < keys; i++) {
                folded ^= engine.prefetchProgram(keyHighs[i], keyLows[i]);
            }
        }
        loaded = folded;
        count = 0;
    }
}
