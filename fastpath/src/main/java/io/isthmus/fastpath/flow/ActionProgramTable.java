package io.isthmus.fastpath.flow;

import java.util.Arrays;

import io.isthmus.control.Action;
import io.isthmus.control.message.InstallFlyweight;

/**
 * Action programs, one 64-byte cache line each: program {@code p} is the {@link #MAX_ACTIONS} longs from
 * {@code p * MAX_ACTIONS} of one primitive array, so running a program costs one cache miss at most. Each long is an
 * action:
 *
 * <pre>
 *  63      56 55      48 47                                              0
 * +----------+----------+-------------------------------------------------+
 * |   meta   |  opcode  |                  operand (48 bits)              |
 * +----------+----------+-------------------------------------------------+
 * </pre>
 *
 * The meta byte of action 0 holds the program's length (low 4 bits) and flags; the others are zero. Operands:
 * rewrites pack {@code address << 16 | port}; SET_VNI holds the VNI; SET_NEXT_HOP the index into the
 * {@link NextHopTable}; ESP_ENCRYPT and ESP_DECRYPT the SA index; COUNT_GROUP the counter group; other opcodes none.
 * The COUNT action's packet and byte counters live apart, in an array only COUNT writes, and so do the counter
 * groups' (COUNT_GROUP), one array of {@link Action.Count#MAX_GROUPS} groups made once (32 KiB) and never cleared:
 * they count for the life of the worker, as its other counters do. Programs come from a free list; the arrays start
 * small and double on install up to the capacity (80 bytes a program), so memory follows the rules installed, not
 * the capacity. Packets never allocate; an install that doubles the table copies it once (control path).
 * <p>
 * Each program also keeps whether its TTL check can run before anything else ({@link #checksTtlFirst}): a
 * DECREMENT_TTL with no ESP action before it, so a packet whose TTL is expiring is punted as it was received.
 */
public final class ActionProgramTable {

    public static final int MAX_ACTIONS = InstallFlyweight.MAX_ACTIONS;
    public static final int NONE = -1;

    private static final int SHIFT = Integer.numberOfTrailingZeros(MAX_ACTIONS);
    private static final long OPERAND_MASK = (1L << 48) - 1;
    private static final int LENGTH_MASK = 0x0F;
    private static final int TTL_FIRST = 0x10;
    private static final int HAS_ESP = 0x20;

    /** Programs the arrays start with. */
    public static final int INITIAL_PROGRAMS = 1024;

    private final int capacity;
    private long[] actions;
    /** Packets and bytes of the COUNT action, interleaved. */
    private long[] counts;
    /** Packets and bytes of each counter group, interleaved: group {@code g} at {@code 2g} and {@code 2g + 1}. */
    private final long[] groupCounts = new long[Action.Count.MAX_GROUPS * 2];
    private int[] freeList;
    private int freeCount;
    /** Programs never handed out start here. */
    private int next;

    public ActionProgramTable(int capacity) {
        if (capacity < 1 || capacity > (Integer.MAX_VALUE >> SHIFT)) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        int initial = Math.min(capacity, INITIAL_PROGRAMS);
        actions = new long[initial << SHIFT];
        counts = new long[initial * 2];
        freeList = new int[initial];
    }

    /** An empty program, or {@link #NONE} if all are in use. */
    public int allocate() {
        int program;
        if (freeCount > 0) {
            program = freeList[--freeCount];
        } else if (next < capacity) {
            if (next == freeList.length) {
                grow();
            }
            program = next++;
        } else {
            return NONE;
        }
        Arrays.fill(actions, program << SHIFT, (program + 1) << SHIFT, 0L);
        counts[program << 1] = 0;
        counts[(program << 1) + 1] = 0;
        return program;
    }

    public void free(int program) {
        freeList[freeCount++] = program;
    }

    /** Frees every program (the arrays keep their size). */
    public void clear() {
        freeCount = 0;
        next = 0;
    }

    private void grow() {
        int programs = (int) Math.min(capacity, 2L * freeList.length);
        actions = Arrays.copyOf(actions, programs << SHIFT);
        counts = Arrays.copyOf(counts, programs * 2);
        freeList = Arrays.copyOf(freeList, programs);
    }

    /**
     * Appends an action; false if the program is full, the operand does not fit in 48 bits or a COUNT_GROUP's group
     * is not below {@link Action.Count#MAX_GROUPS}.
     */
    public boolean append(int program, int opcode, long operand) {
        int base = program << SHIFT;
        int meta = meta(actions[base]);
        int length = meta & LENGTH_MASK;
        if (length == MAX_ACTIONS || (operand & ~OPERAND_MASK) != 0 || (opcode & ~0xFF) != 0
                || opcode == Action.COUNT_GROUP && operand >= Action.Count.MAX_GROUPS) {
            return false;
        }
        if (opcode == Action.ESP_ENCRYPT || opcode == Action.ESP_DECRYPT) {
            meta |= HAS_ESP;
        } else if (opcode == Action.DECREMENT_TTL && (meta & HAS_ESP) == 0) {
            meta |= TTL_FIRST;
        }
        meta = (meta & ~LENGTH_MASK) | (length + 1);
        actions[base + length] = ((long) opcode << 48) | operand;
        actions[base] = (actions[base] & ~(0xFFL << 56)) | ((long) meta << 56);
        return true;
    }

    public int length(int program) {
        return lengthOf(actions[program << SHIFT]);
    }

    /** Whether the program decrements the TTL before any ESP action: its TTL can be checked before it runs. */
    public boolean checksTtlFirst(int program) {
        return checksTtlFirstOf(actions[program << SHIFT]);
    }

    /** A program's length, from its first action (which carries the program's meta byte). */
    public static int lengthOf(long firstAction) {
        return meta(firstAction) & LENGTH_MASK;
    }

    /** {@link #checksTtlFirst}, from a program's first action. */
    public static boolean checksTtlFirstOf(long firstAction) {
        return (meta(firstAction) & TTL_FIRST) != 0;
    }

    /**
     * The array the programs live in, program {@code p} from {@link #base}{@code (p)}: for reading on the packet path
     * and copying. It is replaced when the table grows (on install), so read it anew after installing.
     */
    long[] actions() {
        return actions;
    }

    /** Where program {@code program} starts in {@link #actions()}. */
    static int base(int program) {
        return program << SHIFT;
    }

    /** The packed action {@code action} of {@code program}: read {@link #opcodeOf} and {@link #operandOf} from it. */
    public long action(int program, int action) {
        return actions[(program << SHIFT) + action];
    }

    public int opcode(int program, int action) {
        return opcodeOf(action(program, action));
    }

    public long operand(int program, int action) {
        return operandOf(action(program, action));
    }

    public static int opcodeOf(long action) {
        return (int) (action >>> 48) & 0xFF;
    }

    public static long operandOf(long action) {
        return action & OPERAND_MASK;
    }

    private static int meta(long action0) {
        return (int) (action0 >>> 56) & 0xFF;
    }

    /** The COUNT action. */
    public void count(int program, int packetLength) {
        counts[program << 1]++;
        counts[(program << 1) + 1] += packetLength;
    }

    /** The COUNT_GROUP action: the rule's counters and those of {@code group}. */
    public void count(int program, int packetLength, int group) {
        count(program, packetLength);
        groupCounts[group << 1]++;
        groupCounts[(group << 1) + 1] += packetLength;
    }

    /**
     * The counter groups' packets and bytes, group {@code g}'s at {@code 2g} and {@code 2g + 1}: the live array, for
     * the worker to encode a STATS_RESPONSE from (on its own thread).
     */
    public long[] groupCounts() {
        return groupCounts;
    }

    public long packets(int program) {
        return counts[program << 1];
    }

    public long bytes(int program) {
        return counts[(program << 1) + 1];
    }

    public int capacity() {
        return capacity;
    }

    public int available() {
        return capacity - next + freeCount;
    }

    /** Programs the arrays have room for now (they double up to the capacity). */
    public int allocated() {
        return freeList.length;
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
