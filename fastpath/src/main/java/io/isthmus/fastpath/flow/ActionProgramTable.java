package io.isthmus.fastpath.flow;

import io.isthmus.fastpath.control.ControlProtocol;

/**
 * Action programs in flat primitive arrays: program {@code p} holds up to {@link #MAX_ACTIONS} (opcode, operand)
 * pairs at {@code p * MAX_ACTIONS}, and its own packet and byte counters (the COUNT action). Programs are allocated
 * from a free list, so installing and removing rules allocates nothing.
 * <p>
 * Operands: rewrites pack {@code address << 16 | port}; SET_VNI holds the VNI; SET_NEXT_HOP the index into the
 * {@link NextHopTable}; other opcodes none.
 */
public final class ActionProgramTable {

    public static final int MAX_ACTIONS = ControlProtocol.MAX_ACTIONS;
    public static final int NONE = -1;

    private final byte[] opcodes;
    private final long[] operands;
    private final byte[] lengths;
    private final long[] packets;
    private final long[] bytes;
    private final int[] freeList;
    private int freeCount;

    public ActionProgramTable(int capacity) {
        opcodes = new byte[capacity * MAX_ACTIONS];
        operands = new long[capacity * MAX_ACTIONS];
        lengths = new byte[capacity];
        packets = new long[capacity];
        bytes = new long[capacity];
        freeList = new int[capacity];
        clear();
    }

    /** An empty program, or {@link #NONE} if all are in use. */
    public int allocate() {
        if (freeCount == 0) {
            return NONE;
        }
        int program = freeList[--freeCount];
        lengths[program] = 0;
        packets[program] = 0;
        bytes[program] = 0;
        return program;
    }

    public void free(int program) {
        freeList[freeCount++] = program;
    }

    /** Frees every program. */
    public void clear() {
        freeCount = freeList.length;
        for (int i = 0; i < freeList.length; i++) {
            freeList[i] = freeList.length - 1 - i;
        }
    }

    /** Appends an action; false if the program is full. */
    public boolean append(int program, int opcode, long operand) {
        int length = lengths[program];
        if (length == MAX_ACTIONS) {
            return false;
        }
        int index = program * MAX_ACTIONS + length;
        opcodes[index] = (byte) opcode;
        operands[index] = operand;
        lengths[program] = (byte) (length + 1);
        return true;
    }

    public int length(int program) {
        return lengths[program];
    }

    public int opcode(int program, int action) {
        return opcodes[program * MAX_ACTIONS + action];
    }

    public long operand(int program, int action) {
        return operands[program * MAX_ACTIONS + action];
    }

    /** The COUNT action. */
    public void count(int program, int packetLength) {
        packets[program]++;
        bytes[program] += packetLength;
    }

    public long packets(int program) {
        return packets[program];
    }

    public long bytes(int program) {
        return bytes[program];
    }

    public int capacity() {
        return lengths.length;
    }

    public int available() {
        return freeCount;
    }

    /** Packs a rewrite operand. */
    public static long addressPort(int address, int port) {
        return ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    public static int address(long operand) {
        return (int) (operand >>> 16);
    }

    public static int port(long operand) {
        return (int) operand & 0xFFFF;
    }
}
