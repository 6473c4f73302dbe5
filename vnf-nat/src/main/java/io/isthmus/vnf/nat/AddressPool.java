package io.isthmus.vnf.nat;

import java.util.BitSet;
import java.util.random.RandomGenerator;

import io.isthmus.control.FlowKey;

/**
 * The dynamic ports of one public address: the range {@code portRangeStart..portRangeEnd} cut into blocks of
 * {@code portBlockSize} from its start (the last block holds what is left, so it may be shorter). A block belongs to
 * one inside host at a time; TCP, UDP and ICMP echo each use its port numbers independently. Blocks are handed out
 * next-fit ({@link PortAllocator}): one just given back is the last to be handed out again. Within a block, a port
 * is picked from a random place onwards, so the next port of a host is not guessable from the last (nothing of
 * parity or contiguity is kept: RFC 4787 REQ-4 is a recommendation this NAT does not follow).
 * <p>
 * Ports of the range that a port forward holds are reserved for its protocol and never handed out.
 */
final class AddressPool {

    /** No port or block left. */
    static final int NONE = PortAllocator.NONE;
    private static final int PROTOCOLS = 3;

    private final int address;
    private final int first;
    private final int count;
    private final int blockSize;
    private final int blockCount;
    private final PortAllocator blocks;
    /** Per protocol, the ports in use (bindings and reservations), by index from {@link #first}. */
    private final BitSet[] used = new BitSet[PROTOCOLS];
    /** Per protocol and block, how many of its ports are in use. */
    private final int[][] usedInBlock;
    /** Per block, how many bindings hold one of its ports, all protocols together. */
    private final int[] bindingsInBlock;
    private int bindings;
    private int portsInBlocks;

    AddressPool(int address, int first, int last, int blockSize) {
        this.address = address;
        this.first = first;
        this.count = last - first + 1;
        this.blockSize = blockSize;
        this.blockCount = (count + blockSize - 1) / blockSize;
        this.blocks = new PortAllocator(0, blockCount - 1);
        this.usedInBlock = new int[PROTOCOLS][blockCount];
        this.bindingsInBlock = new int[blockCount];
        for (int p = 0; p < PROTOCOLS; p++) {
            used[p] = new BitSet(count);
        }
    }

    int address() {
        return address;
    }

    /** A free block, now taken; {@link #NONE} if every block is. */
    int allocateBlock() {
        int block = blocks.allocate();
        if (block != NONE) {
            portsInBlocks += blockLength(block);
        }
        return block;
    }

    /** Takes this block if it is free (a learned binding's); returns whether it was. */
    boolean allocateBlock(int block) {
        if (!blocks.allocate(block)) {
            return false;
        }
        portsInBlocks += blockLength(block);
        return true;
    }

    /** Whether an inside host holds this block now. */
    boolean isBlockInUse(int block) {
        return blocks.isInUse(block);
    }

    /** Gives a block back; its ports must all be free. */
    void releaseBlock(int block) {
        if (blocks.isInUse(block)) {
            blocks.release(block);
            portsInBlocks -= blockLength(block);
        }
    }

    int freeBlocks() {
        return blocks.available();
    }

    int firstPort(int block) {
        return first + block * blockSize;
    }

    int lastPort(int block) {
        return firstPort(block) + blockLength(block) - 1;
    }

    /** The block a port of the range is in; {@link #NONE} for a port outside the range. */
    int blockOf(int port) {
        int index = port - first;
        return index < 0 || index >= count ? NONE : index / blockSize;
    }

    /** A free port of {@code block} for {@code protocol}, now bound; {@link #NONE} if the block has none left. */
    int take(int protocol, int block, RandomGenerator random) {
        int p = index(protocol);
        int length = blockLength(block);
        if (usedInBlock[p][block] == length) {
            return NONE;
        }
        int start = block * blockSize;
        int end = start + length;
        int from = start + random.nextInt(length);
        int index = used[p].nextClearBit(from);
        if (index >= end) {
            index = used[p].nextClearBit(start);
        }
        bound(p, index, block);
        return first + index;
    }

    /**
     * Binds exactly {@code port} of the range for {@code protocol} (a learned binding's; its block must be held);
     * returns false if it is outside the range or in use.
     */
    boolean take(int protocol, int port) {
        int p = index(protocol);
        int block = blockOf(port);
        if (block == NONE || used[p].get(port - first)) {
            return false;
        }
        bound(p, port - first, block);
        return true;
    }

    private void bound(int p, int index, int block) {
        used[p].set(index);
        usedInBlock[p][block]++;
        bindingsInBlock[block]++;
        bindings++;
    }

    /**
     * Gives back a port {@link #take} bound; returns true if its block is left with no binding (the caller gives it
     * back).
     */
    boolean giveBack(int protocol, int port) {
        int p = index(protocol);
        int index = port - first;
        int block = blockOf(port);
        if (block == NONE || !used[p].get(index)) {
            return false;
        }
        used[p].clear(index);
        usedInBlock[p][block]--;
        bindingsInBlock[block]--;
        bindings--;
        return bindingsInBlock[block] == 0;
    }

    /** Keeps a port of the range out of every block for {@code protocol} (a port forward's); outside the range, nothing. */
    void reserve(int protocol, int port) {
        int block = blockOf(port);
        if (block != NONE && !used[index(protocol)].get(port - first)) {
            used[index(protocol)].set(port - first);
            usedInBlock[index(protocol)][block]++;
        }
    }

    /** Blocks held by inside hosts now. */
    int blocksInUse() {
        return blocks.inUse();
    }

    int blockCount() {
        return blockCount;
    }

    /** Ports of the range in blocks held by inside hosts now. */
    int portsInBlocks() {
        return portsInBlocks;
    }

    int portCount() {
        return count;
    }

    /** Dynamic bindings on this address now, all protocols. */
    int bindings() {
        return bindings;
    }

    private int blockLength(int block) {
        return Math.min(blockSize, count - block * blockSize);
    }

    private static int index(int protocol) {
        return switch (protocol) {
            case FlowKey.TCP -> 0;
            case FlowKey.UDP -> 1;
            case FlowKey.ICMP -> 2;
            default -> throw new IllegalArgumentException("no ports for protocol " + protocol);
        };
    }
}
