package io.isthmus.fastpath.flow;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import io.isthmus.control.FlowKey;

/**
 * An exact-match flow table from a 128-bit packed key ({@code FlowKey.packHigh/packLow}) to an {@code int} value (the
 * index of an action program) and a payload of {@link #PAYLOAD_LONGS} longs (the program itself, when it is short
 * enough to travel with its key), off-heap in one {@link MemorySegment}, with idle timeouts.
 * <p>
 * Open addressing with linear probing over a power-of-two number of 64-byte slots (one cache line each), sized once
 * from the flows asked for and a maximum load factor: {@code nextPowerOfTwo(flows / maxLoadFactor)} slots, so the
 * load never passes the factor; inserts beyond {@link #maxFlows()} (the flows asked for) are refused and counted.
 * Removal is backward-shift deletion (Knuth 6.4, Algorithm R), so there are no tombstones and probe chains stay as
 * short as the load allows.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Key High: VNI, protocol, source and destination port |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Key Low: source and destination address              |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T|                  Value + 1 (0: empty slot)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Last Hit (wheel tick)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Next slot in the wheel bucket                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Previous slot in the bucket (~bucket if the head)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +            Payload: 4 longs (an inline action program)        +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A lookup touches one cache line: the key, the value and the payload share it, so a packet whose program is in the
 * payload costs one random memory access, not two. {@link #hit} remembers the slot it found until the table next
 * changes, so the payload can be read without a second probe ({@link #lastHitPayload}).
 *
 * T is set while a TCP flow is transitory ({@link #setTransitory}): its connection is closing, and it expires after
 * the transitory timeout instead of its protocol's. The flag travels with the value, so a flow's timeout class costs
 * the slot no room and a hit nothing.
 * <p>
 * Idle timeouts ({@link IdleTimeouts}, by protocol and TCP state) run on a hashed timer wheel of
 * {@link #WHEEL_BUCKETS} buckets, doubly linked through the slots themselves, driven by the owner's clock
 * ({@link #advanceTo}, {@link #expire}). A hit
 * only stamps the slot's last-hit tick (and only when the tick changed); a flow sits in the bucket of its deadline
 * from insertion, and when the wheel reaches it, it expires if its last hit is a timeout old, else moves to the bucket
 * of {@code lastHit + timeout}. So a busy flow costs one wheel visit per timeout, not one per packet. A
 * backward shift that moves a slot relinks its neighbours in O(1).
 * <p>
 * The slots are mapped with transparent huge pages advised where Linux allows ({@code OffHeapMemory}). Nothing
 * allocates after construction. Single-threaded: one worker owns its table. {@link #close()} frees the memory.
 */
public final class FlowTable implements AutoCloseable {

    /** The value of an absent key. */
    public static final int MISSING = -1;
    /** {@link #put} refused a new key because the table is at its load limit. */
    public static final int REJECTED = -2;
    /** The most flows that may be asked for: 2^27 slots of 64 bytes (8 GiB) at a load factor of 0.75. */
    public static final int MAX_FLOWS = 1 << 26;
    public static final float DEFAULT_MAX_LOAD_FACTOR = 0.75f;
    /** Buckets of the timer wheel; timeouts are rounded to ticks of at most {@code 2 × maxTimeout / WHEEL_BUCKETS}. */
    public static final int WHEEL_BUCKETS = 4096;

    /** Receives each expired flow, after it left the table. */
    @FunctionalInterface
    public interface ExpiryHandler {
        void onExpired(long keyHigh, long keyLow, int value);
    }

    static final int KEY_HIGH_OFFSET = 0;
    static final int KEY_LOW_OFFSET = 8;
    static final int VALUE_OFFSET = 16;
    static final int LAST_HIT_OFFSET = 20;
    static final int NEXT_OFFSET = 24;
    static final int PREV_OFFSET = 28;
    static final int PAYLOAD_OFFSET = 32;
    /** Longs of payload a slot holds. */
    public static final int PAYLOAD_LONGS = 4;
    static final int SLOT_LENGTH = 64;
    private static final int SLOT_SHIFT = 6;

    /** No slot: the end of a bucket's list. */
    private static final int NIL = -1;
    /** The PREV of a slot in no bucket (a flow that never expires). */
    private static final int NOT_LISTED = Integer.MIN_VALUE;
    /** Ticks are 2^20 ns (about 1 ms) at the finest. */
    private static final int MIN_TICK_SHIFT = 20;
    /** The longest timeout in ticks: longer ones are cut to it, so deadlines never wrap around an int. */
    private static final int MAX_TIMEOUT_TICKS = 1 << 30;
    /** The bit of the stored value that marks a transitory TCP flow. */
    private static final int TRANSITORY = Integer.MIN_VALUE;
    private static final int STORED_VALUE = Integer.MAX_VALUE;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final Arena arena;
    private final MemorySegment slots;
    private final int mask;
    private final int maxFlows;
    private int size;
    /** The offset of the slot the last {@link #hit} found, or -1: forgotten at every change of the table. */
    private long lastHitBase = -1;
    /** What {@link #hitAll} loaded ahead, kept so that the loads stay. */
    @SuppressWarnings("unused")
    private int prefetched;
    private long rejectedInserts;
    private long expiredFlows;

    /** Whether any flow can expire. */
    private boolean wheelEnabled;
    private final int tickShift;
    private IdleTimeouts timeouts;
    /** Timeout in ticks by IPv4 protocol (for TCP: established); 0 never expires. */
    private final int[] timeoutTicks = new int[256];
    /** Timeout in ticks of transitory TCP flows; 0 never expires. */
    private int transitoryTicks;
    /** Bucket heads, and at {@link #pending} the list of the bucket being expired. */
    private final int[] heads;
    private final int pending;
    private boolean clockStarted;
    private long originNanos;
    private int nowTick;
    /** The next tick whose bucket the wheel has to visit. */
    private int cursorTick;

    /** A table for {@code flows} flows at the default load factor (0.75), whose flows never expire. */
    public FlowTable(int flows) {
        this(flows, DEFAULT_MAX_LOAD_FACTOR, IdleTimeouts.NEVER);
    }

    /**
     * A table for {@code flows} flows in {@code nextPowerOfTwo(flows / maxLoadFactor)} slots, refusing inserts beyond
     * {@code flows}, so its load stays at or under {@code maxLoadFactor}; flows expire after {@code timeouts}.
     */
    public FlowTable(int flows, float maxLoadFactor, IdleTimeouts timeouts) {
        if (flows < 1 || flows > MAX_FLOWS) {
            throw new IllegalArgumentException("flows out of range 1.." + MAX_FLOWS + ": " + flows);
        }
        if (!(maxLoadFactor > 0.0f && maxLoadFactor < 1.0f)) {
            throw new IllegalArgumentException("max load factor in (0, 1): " + maxLoadFactor);
        }
        long capacity = capacityFor(flows, maxLoadFactor);
        if (capacity > 1L << 30) {
            throw new IllegalArgumentException(flows + " flows at a load factor of " + maxLoadFactor
                    + " need more than 2^30 slots");
        }
        this.mask = (int) (capacity - 1);
        this.maxFlows = flows;
        this.arena = Arena.ofShared();
        this.slots = OffHeapMemory.allocate(capacity * SLOT_LENGTH, arena);

        long maxTimeout = timeouts.maxNanos();
        int shift = MIN_TICK_SHIFT;
        while ((maxTimeout >>> shift) >= WHEEL_BUCKETS / 2) {
            shift++;
        }
        this.tickShift = shift;
        this.heads = new int[WHEEL_BUCKETS + 1];
        this.pending = heads.length - 1;
        Arrays.fill(heads, NIL);
        setTicks(timeouts);
    }

    /** The slots a table for {@code flows} at {@code maxLoadFactor} has. */
    public static long capacityFor(int flows, float maxLoadFactor) {
        long needed = Math.max(2L, (long) Math.ceil(flows / (double) maxLoadFactor));
        return Long.highestOneBit(needed - 1) << 1;
    }

    /** Whether the slots were mapped with huge pages advised. */
    public static boolean hugePages() {
        return OffHeapMemory.hugePagesAdvised();
    }

    /** The off-heap bytes of a table for {@code flows} at {@code maxLoadFactor}. */
    public static long bytesFor(int flows, float maxLoadFactor) {
        return capacityFor(flows, maxLoadFactor) * SLOT_LENGTH;
    }

    // ---------------------------------------------------------------- lookups

    /** The value for the key, or {@link #MISSING}; leaves the flow's idle time alone (control path, tests). */
    public int get(long keyHigh, long keyLow) {
        int slot = find(keyHigh, keyLow);
        return slot == NIL ? MISSING : value(offset(slot));
    }

    /** The value for the key, or {@link #MISSING}; a hit restarts the flow's idle time (the packet path). */
    public int hit(long keyHigh, long keyLow) {
        int slot = hash(keyHigh, keyLow) & mask;
        while (true) {
            long base = offset(slot);
            int stored = slots.get(INT, base + VALUE_OFFSET);
            if (stored == 0) {
                lastHitBase = -1;
                return MISSING;
            }
            if (slots.get(LONG, base + KEY_HIGH_OFFSET) == keyHigh
                    && slots.get(LONG, base + KEY_LOW_OFFSET) == keyLow) {
                if (slots.get(INT, base + LAST_HIT_OFFSET) != nowTick) {
                    slots.set(INT, base + LAST_HIT_OFFSET, nowTick);
                }
                lastHitBase = base;
                return (stored & STORED_VALUE) - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The value the last {@link #hit} returned, if the table has not changed since; else {@link #MISSING}. Lets a
     * caller check that {@link #lastHitPayload} belongs to the value it holds.
     */
    public int lastHitValue() {
        return lastHitBase < 0 ? MISSING : value(lastHitBase);
    }

    /**
     * Copies the payload of the flow the last {@link #hit} found into {@code into} from {@code at} and returns true;
     * false (nothing copied) if that hit missed or the table changed since.
     */
    public boolean lastHitPayload(long[] into, int at) {
        long base = lastHitBase;
        if (base < 0) {
            return false;
        }
        for (int i = 0; i < PAYLOAD_LONGS; i++) {
            into[at + i] = slots.get(LONG, base + PAYLOAD_OFFSET + (long) i * Long.BYTES);
        }
        return true;
    }

    /**
     * Loads the first slot the key hashes to and returns a word of it, for the caller to fold into a value it keeps (so
     * that the load is not optimised away). Java has no prefetch instruction; a load whose result nothing waits for is
     * the next best thing: called for every key of a batch before the first is looked up, the batch's cache misses
     * overlap instead of following one another, and the lookups then find their slots in cache.
     */
    public int prefetch(long keyHigh, long keyLow) {
        return slots.get(INT, offset(hash(keyHigh, keyLow) & mask) + VALUE_OFFSET);
    }

    /**
     * Looks up the {@code count} keys from index {@code from} as {@link #hit} does, writing each one's value (or
     * {@link #MISSING}) to {@code values} at the same index: first a {@link #prefetch} of every key, then the lookups,
     * so the cache misses of the batch overlap. The same result as {@code count} calls of {@code hit}, in less time
     * when the table is bigger than the caches.
     */
    public void hitAll(long[] keyHighs, long[] keyLows, int[] values, int from, int count) {
        int touched = 0;
        int end = from + count;
        for (int i = from; i < end; i++) {
            touched ^= prefetch(keyHighs[i], keyLows[i]);
        }
        prefetched = touched;
        for (int i = from; i < end; i++) {
            values[i] = hit(keyHighs[i], keyLows[i]);
        }
    }

    // ---------------------------------------------------------------- updates

    /**
     * Maps the key to {@code value} (≥ 0); returns the value it replaced, {@link #MISSING} if the key is new, or
     * {@link #REJECTED} if the key is new and the table is at its load limit. Either way a stored flow counts as hit
     * now.
     */
    public int put(long keyHigh, long keyLow, int value) {
        return put(keyHigh, keyLow, value, null, 0, 0);
    }

    /**
     * As {@link #put(long, long, int)}, storing also a payload: {@code payloadLength} (at most {@link #PAYLOAD_LONGS})
     * longs of {@code payload} from {@code payloadAt}, the rest of the slot's payload zero.
     */
    public int put(long keyHigh, long keyLow, int value, long[] payload, int payloadAt, int payloadLength) {
        if (value < 0 || value == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("values are in 0..2^31-2: " + value);
        }
        if (payloadLength < 0 || payloadLength > PAYLOAD_LONGS) {
            throw new IllegalArgumentException("payload of 0.." + PAYLOAD_LONGS + " longs: " + payloadLength);
        }
        lastHitBase = -1;
        int slot = hash(keyHigh, keyLow) & mask;
        while (true) {
            long base = offset(slot);
            int stored = slots.get(INT, base + VALUE_OFFSET);
            if (stored == 0) {
                break;
            }
            if (slots.get(LONG, base + KEY_HIGH_OFFSET) == keyHigh
                    && slots.get(LONG, base + KEY_LOW_OFFSET) == keyLow) {
                // a new rule for the same flow: the connection's state is the packets', it stays
                slots.set(INT, base + VALUE_OFFSET, (value + 1) | (stored & TRANSITORY));
                slots.set(INT, base + LAST_HIT_OFFSET, nowTick);
                writePayload(base, payload, payloadAt, payloadLength);
                return (stored & STORED_VALUE) - 1;
            }
            slot = (slot + 1) & mask;
        }
        if (size == maxFlows) {
            rejectedInserts++;
            return REJECTED;
        }
        long base = offset(slot);
        slots.set(LONG, base + KEY_HIGH_OFFSET, keyHigh);
        slots.set(LONG, base + KEY_LOW_OFFSET, keyLow);
        slots.set(INT, base + VALUE_OFFSET, value + 1);
        slots.set(INT, base + LAST_HIT_OFFSET, nowTick);
        slots.set(INT, base + PREV_OFFSET, NOT_LISTED);
        writePayload(base, payload, payloadAt, payloadLength);
        schedule(slot);
        size++;
        return MISSING;
    }

    private void writePayload(long base, long[] payload, int at, int length) {
        for (int i = 0; i < PAYLOAD_LONGS; i++) {
            slots.set(LONG, base + PAYLOAD_OFFSET + (long) i * Long.BYTES, i < length ? payload[at + i] : 0L);
        }
    }

    /** Removes the key; returns its value or {@link #MISSING}. */
    public int remove(long keyHigh, long keyLow) {
        lastHitBase = -1;
        int slot = find(keyHigh, keyLow);
        if (slot == NIL) {
            return MISSING;
        }
        int value = value(offset(slot));
        unlink(slot);
        delete(slot);
        return value;
    }

    // ---------------------------------------------------------------- TCP state and timeouts

    /**
     * Makes the TCP flow of the key transitory (its connection is closing: a FIN or an RST passed) or established
     * again (a SYN opened it anew), so it expires after that class's idle timeout counted from its last hit. Returns
     * whether the key is a TCP flow in the table; other flows have no TCP state and are left alone. Costs a lookup,
     * and a move in the timer wheel when the class changes.
     */
    public boolean setTransitory(long keyHigh, long keyLow, boolean transitory) {
        if (protocol(keyHigh) != FlowKey.TCP) {
            return false;
        }
        int slot = find(keyHigh, keyLow);
        if (slot == NIL) {
            return false;
        }
        long base = offset(slot);
        int stored = slots.get(INT, base + VALUE_OFFSET);
        if ((stored < 0) != transitory) {
            slots.set(INT, base + VALUE_OFFSET, stored ^ TRANSITORY);
            unlink(slot);
            schedule(slot);
        }
        return true;
    }

    /** Whether the key is a transitory TCP flow in the table ({@link #setTransitory}). */
    public boolean isTransitory(long keyHigh, long keyLow) {
        int slot = find(keyHigh, keyLow);
        return slot != NIL && slots.get(INT, offset(slot) + VALUE_OFFSET) < 0;
    }

    /** The idle timeouts the table applies now. */
    public IdleTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Applies new idle timeouts to the flows in the table and those to come (control path): each flow is due its new
     * timeout after its last hit, so one idle for longer than that expires at the next {@link #expire}. The ticks
     * stay those of the timeouts the table was made with ({@link #tickNanos()}); a timeout longer than a revolution
     * of the wheel costs its flows a visit per revolution. Costs a visit of every flow that can expire, and a pass
     * over every slot if flows that could not expire can now.
     */
    public void timeouts(IdleTimeouts newTimeouts) {
        lastHitBase = -1;
        boolean startsExpiring = transitoryTicks == 0 && ticks(newTimeouts.tcpTransitory().toNanos()) != 0;
        for (int protocol = 0; protocol < 256; protocol++) {
            startsExpiring |= timeoutTicks[protocol] == 0 && ticks(newTimeouts.nanosFor(protocol)) != 0;
        }
        int listed = detachAll();
        setTicks(newTimeouts);
        if (startsExpiring) {
            for (int slot = 0; slot <= mask; slot++) {
                if (slots.get(INT, offset(slot) + VALUE_OFFSET) != 0) {
                    schedule(slot);
                }
            }
            return;
        }
        while (listed != NIL) {
            int next = slots.get(INT, offset(listed) + NEXT_OFFSET);
            schedule(listed);
            listed = next;
        }
    }

    /** Empties the table (every slot and bucket). */
    public void clear() {
        lastHitBase = -1;
        OffHeapMemory.zero(slots);
        Arrays.fill(heads, NIL);
        size = 0;
    }

    /** Hands every flow in the table to {@code visitor} (key and value), in slot order; the control path's. */
    public void forEach(ExpiryHandler visitor) {
        for (int slot = 0; slot <= mask; slot++) {
            long base = offset(slot);
            int stored = slots.get(INT, base + VALUE_OFFSET);
            if (stored != 0) {
                visitor.onExpired(slots.get(LONG, base + KEY_HIGH_OFFSET), slots.get(LONG, base + KEY_LOW_OFFSET),
                        stored - 1);
            }
        }
    }

    // ---------------------------------------------------------------- time

    /**
     * Moves the table's clock to {@code nowNanos} (a monotonic clock, any origin): hits from now on are stamped with
     * its tick. Cheap; the owner calls it once per batch of packets.
     */
    public void advanceTo(long nowNanos) {
        if (!clockStarted) {
            clockStarted = true;
            originNanos = nowNanos;
            cursorTick = 0;
        }
        nowTick = (int) ((nowNanos - originNanos) >> tickShift);
    }

    /**
     * Advances the clock and the wheel to {@code nowNanos}, visiting at most {@code budget} flows; removes
     * each flow idle for its timeout and hands it to {@code handler}. Returns the flows expired. What the budget left
     * is picked up by the next call.
     */
    public int expire(long nowNanos, int budget, ExpiryHandler handler) {
        advanceTo(nowNanos);
        if (!wheelEnabled) {
            return 0;
        }
        lastHitBase = -1;
        if (nowTick - cursorTick >= WHEEL_BUCKETS) {
            // stalled for a revolution or more: every bucket is due once, none twice
            cursorTick = nowTick - WHEEL_BUCKETS + 1;
        }
        int expired = 0;
        int work = 0;
        while (work < budget) {
            int slot = heads[pending];
            if (slot == NIL) {
                if (nowTick - cursorTick < 0) {
                    break;
                }
                int bucket = cursorTick & (WHEEL_BUCKETS - 1);
                int head = heads[bucket];
                if (head != NIL) {
                    heads[bucket] = NIL;
                    heads[pending] = head;
                    slots.set(INT, offset(head) + PREV_OFFSET, ~pending);
                }
                // empty buckets cost next to nothing and are at most WHEEL_BUCKETS a call: not budgeted
                cursorTick++;
                continue;
            }
            work++;
            long base = offset(slot);
            long keyHigh = slots.get(LONG, base + KEY_HIGH_OFFSET);
            int lastHit = slots.get(INT, base + LAST_HIT_OFFSET);
            int timeout = timeoutTicks(base);
            unlink(slot);
            if (nowTick - lastHit >= timeout) {
                long keyLow = slots.get(LONG, base + KEY_LOW_OFFSET);
                int value = value(base);
                delete(slot);
                expired++;
                expiredFlows++;
                handler.onExpired(keyHigh, keyLow, value);
            } else {
                link(slot, lastHit + timeout);
            }
        }
        return expired;
    }

    /** The length of a wheel tick in nanoseconds: the precision of idle timeouts. */
    public long tickNanos() {
        return 1L << tickShift;
    }

    // ---------------------------------------------------------------- sizes and counts

    public int size() {
        return size;
    }

    /** The most flows the table holds (the flows asked for; at most the load factor of its capacity). */
    public int maxFlows() {
        return maxFlows;
    }

    /** The number of slots, a power of two. */
    public int capacity() {
        return mask + 1;
    }

    /** Inserts refused because the table was at its load limit, since it was created. */
    public long rejectedInserts() {
        return rejectedInserts;
    }

    /** Flows removed by their idle timeout, since the table was created. */
    public long expiredFlows() {
        return expiredFlows;
    }

    /** Frees the off-heap memory; the table must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }

    /**
     * Hashes a packed key; also the flow hash to spread flows over workers with (RSS-like), so it mixes every bit.
     */
    public static int hash(long keyHigh, long keyLow) {
        long h = keyHigh * 0x9E37_79B9_7F4A_7C15L ^ keyLow;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    // ---------------------------------------------------------------- internals

    private static long offset(int slot) {
        return (long) slot << SLOT_SHIFT;
    }

    private static int protocol(long keyHigh) {
        return (int) (keyHigh >>> 32) & 0xFF;
    }

    private int value(long base) {
        return (slots.get(INT, base + VALUE_OFFSET) & STORED_VALUE) - 1;
    }

    /** The timeout in ticks of the flow at {@code base}: its protocol's, or the transitory one. */
    private int timeoutTicks(long base) {
        return slots.get(INT, base + VALUE_OFFSET) < 0
                ? transitoryTicks
                : timeoutTicks[protocol(slots.get(LONG, base + KEY_HIGH_OFFSET))];
    }

    private int ticks(long nanos) {
        return nanos == 0
                ? 0
                : (int) Math.clamp((nanos + (1L << tickShift) - 1) >>> tickShift, 1, MAX_TIMEOUT_TICKS);
    }

    private void setTicks(IdleTimeouts newTimeouts) {
        timeouts = newTimeouts;
        boolean expiring = false;
        for (int protocol = 0; protocol < 256; protocol++) {
            timeoutTicks[protocol] = ticks(newTimeouts.nanosFor(protocol));
            expiring |= timeoutTicks[protocol] != 0;
        }
        transitoryTicks = ticks(newTimeouts.tcpTransitory().toNanos());
        wheelEnabled = expiring || transitoryTicks != 0;
    }

    /**
     * Puts an unlisted flow into the bucket of its deadline, its last hit plus its timeout, or, if the wheel has
     * passed that, into the list the next {@link #expire} visits first; leaves a flow that never expires unlisted.
     */
    private void schedule(int slot) {
        long base = offset(slot);
        int timeout = timeoutTicks(base);
        if (timeout == 0) {
            return;
        }
        int deadline = slots.get(INT, base + LAST_HIT_OFFSET) + timeout;
        if (deadline - cursorTick < 0) {
            linkInto(slot, pending);
        } else {
            link(slot, deadline);
        }
    }

    /** Empties every bucket; returns the flows they held, unlisted and chained through their NEXT. */
    private int detachAll() {
        int chain = NIL;
        for (int bucket = 0; bucket < heads.length; bucket++) {
            int slot = heads[bucket];
            while (slot != NIL) {
                long base = offset(slot);
                int next = slots.get(INT, base + NEXT_OFFSET);
                slots.set(INT, base + NEXT_OFFSET, chain);
                slots.set(INT, base + PREV_OFFSET, NOT_LISTED);
                chain = slot;
                slot = next;
            }
            heads[bucket] = NIL;
        }
        return chain;
    }

    private int find(long keyHigh, long keyLow) {
        int slot = hash(keyHigh, keyLow) & mask;
        while (true) {
            long base = offset(slot);
            if (slots.get(INT, base + VALUE_OFFSET) == 0) {
                return NIL;
            }
            if (slots.get(LONG, base + KEY_HIGH_OFFSET) == keyHigh
                    && slots.get(LONG, base + KEY_LOW_OFFSET) == keyLow) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Pushes the slot onto the bucket of {@code deadlineTick}. */
    private void link(int slot, int deadlineTick) {
        linkInto(slot, deadlineTick & (WHEEL_BUCKETS - 1));
    }

    /** Pushes the slot onto list {@code bucket} of {@link #heads}. */
    private void linkInto(int slot, int bucket) {
        int head = heads[bucket];
        long base = offset(slot);
        slots.set(INT, base + NEXT_OFFSET, head);
        slots.set(INT, base + PREV_OFFSET, ~bucket);
        if (head != NIL) {
            slots.set(INT, offset(head) + PREV_OFFSET, slot);
        }
        heads[bucket] = slot;
    }

    /** Takes the slot out of its bucket, if it is in one. */
    private void unlink(int slot) {
        long base = offset(slot);
        int prev = slots.get(INT, base + PREV_OFFSET);
        if (prev == NOT_LISTED) {
            return;
        }
        int next = slots.get(INT, base + NEXT_OFFSET);
        if (prev < 0) {
            heads[~prev] = next;
        } else {
            slots.set(INT, offset(prev) + NEXT_OFFSET, next);
        }
        if (next != NIL) {
            slots.set(INT, offset(next) + PREV_OFFSET, prev);
        }
        slots.set(INT, base + PREV_OFFSET, NOT_LISTED);
    }

    /** Empties an unlinked slot and pulls later entries of its probe chain back into the hole (Algorithm R). */
    private void delete(int deleted) {
        slots.set(INT, offset(deleted) + VALUE_OFFSET, 0);
        size--;
        int hole = deleted;
        int slot = (deleted + 1) & mask;
        while (slots.get(INT, offset(slot) + VALUE_OFFSET) != 0) {
            long base = offset(slot);
            int home = hash(slots.get(LONG, base + KEY_HIGH_OFFSET), slots.get(LONG, base + KEY_LOW_OFFSET)) & mask;
            // the entry may move into the hole unless its home lies cyclically in (hole, slot]
            if ((slot > hole && (home <= hole || home > slot)) || (slot < hole && home <= hole && home > slot)) {
                move(slot, hole);
                hole = slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Moves an entry to an empty slot, keeping its place in its bucket's list. */
    private void move(int from, int to) {
        long source = offset(from);
        long target = offset(to);
        MemorySegment.copy(slots, source, slots, target, SLOT_LENGTH);
        slots.set(INT, source + VALUE_OFFSET, 0);
        int prev = slots.get(INT, target + PREV_OFFSET);
        if (prev == NOT_LISTED) {
            return;
        }
        int next = slots.get(INT, target + NEXT_OFFSET);
        if (prev < 0) {
            heads[~prev] = to;
        } else {
            slots.set(INT, offset(prev) + NEXT_OFFSET, to);
        }
        if (next != NIL) {
            slots.set(INT, offset(next) + PREV_OFFSET, to);
        }
    }

    /**
     * Checks every invariant the hot path relies on and throws {@link IllegalStateException} at the first broken one:
     * the size, that each entry is reachable from its home slot without crossing an empty one, and that the wheel's
     * lists are well linked and hold exactly the entries that can expire. For tests; O(capacity).
     */
    void verify() {
        int occupied = 0;
        int expiring = 0;
        for (int slot = 0; slot <= mask; slot++) {
            long base = offset(slot);
            if (slots.get(INT, base + VALUE_OFFSET) == 0) {
                continue;
            }
            occupied++;
            long keyHigh = slots.get(LONG, base + KEY_HIGH_OFFSET);
            long keyLow = slots.get(LONG, base + KEY_LOW_OFFSET);
            if (find(keyHigh, keyLow) != slot) {
                throw new IllegalStateException("slot " + slot + " unreachable from its home");
            }
            if (timeoutTicks(base) != 0) {
                expiring++;
                if (slots.get(INT, base + PREV_OFFSET) == NOT_LISTED) {
                    throw new IllegalStateException("slot " + slot + " can expire but is in no bucket");
                }
            } else if (slots.get(INT, base + PREV_OFFSET) != NOT_LISTED) {
                throw new IllegalStateException("slot " + slot + " never expires but is in a bucket");
            }
        }
        if (occupied != size) {
            throw new IllegalStateException("size " + size + " but " + occupied + " entries");
        }
        int listed = 0;
        for (int bucket = 0; bucket < heads.length; bucket++) {
            int expectedPrev = ~bucket;
            for (int slot = heads[bucket]; slot != NIL; slot = slots.get(INT, offset(slot) + NEXT_OFFSET)) {
                if (slots.get(INT, offset(slot) + VALUE_OFFSET) == 0) {
                    throw new IllegalStateException("bucket " + bucket + " links empty slot " + slot);
                }
                if (slots.get(INT, offset(slot) + PREV_OFFSET) != expectedPrev) {
                    throw new IllegalStateException("slot " + slot + " has a wrong back link");
                }
                expectedPrev = slot;
                if (++listed > size) {
                    throw new IllegalStateException("bucket lists longer than the table: a cycle");
                }
            }
        }
        if (listed != expiring) {
            throw new IllegalStateException(listed + " listed but " + expiring + " can expire");
        }
    }
}
