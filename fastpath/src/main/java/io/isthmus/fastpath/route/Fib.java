package io.isthmus.fastpath.route;

import java.util.Arrays;

/**
 * An IPv4 FIB of one route table: the value of the longest prefix covering an address, in at most four dependent
 * loads, with allocation-free lookups and in-place incremental updates.
 * <p>
 * <b>Layout.</b> A multibit trie of 8-bit strides (8-8-8-8) over a pool of chunks, each 256 {@code int} slots in one
 * array; chunk 0 is the root, always there. Routes are expanded into the slots of their range (controlled prefix
 * expansion), so a slot holds the value of the longest route covering all of it ({@code >= 0}), {@link #MISSING}, or
 * a reference to the child chunk resolving the next 8 bits ({@code -2 - childBase}: one comparison with
 * {@link #MISSING} tells the three apart). A /24 is found in three loads, of which the first two (the root, 1 KB, and
 * at most 256 first-level chunks, 256 KB) stay in the caches.
 * <pre>
 *   address  [ a ][ b ][ c ][ d ]
 *   root[a] ─► chunk[b] ─► chunk[c] ─► chunk[d]      each load: a value, MISSING, or the next chunk
 * </pre>
 * <b>Updates</b> work as DPDK's {@code rte_lpm}: beside each slot, a byte holds the length (+1) of the route that owns
 * it (lookups never read it). Inserting writes the slots of the route's range whose owner is no longer than it;
 * removing hands the slots the route owned to the longest route covering it, found in an exact-match map per prefix
 * length (primitive open addressing with backward-shift deletion), then frees every chunk left owned by a single route
 * no longer than the chunk's level. Nothing is rebuilt: an update touches its range only. Freed chunks are reused;
 * when fewer than a quarter of the pool's chunks are in use, the live ones are moved to the front (each chunk knows
 * the slot that points to it) and the arrays shrink: a table that grew to 1M routes and shrank gives the memory back.
 * <p>
 * <b>Why this layout</b> (measured with {@code FibLookupBenchmark}: 1M routes shaped like the public table, batches of
 * 32, on the 2-core EPYC lab machine while other builds ran beside it):
 * <ul>
 * <li>A DIR-24-8 or DIR-16-8-8 pays its 64 MB or 256 KB first table in every route table, even an empty one; a worker
 * holds up to ~1,000 tables, mostly small. An 8-bit root costs 2.5 KB when empty.</li>
 * <li>The cost of a big table is the one cache miss per address at the second level, the same miss a DIR-24-8's first
 * table takes: one random load per address from a 64 MB array measured 10–12 ns in the same runs, this FIB 20 ns.
 * Adding a flat /16 table in front of big FIBs (a DIR-16 over the first two levels) measured 20.6 ns: no gain, not
 * kept.</li>
 * <li>A Poptrie-like view (per chunk, a 256-bit bitmap of where runs of equal slots start, and the runs: about 25 MB
 * instead of 60 MB at 1M routes) measured 62 ns against 27 ns in the same run: two dependent loads per level cost
 * more than the smaller footprint saved, and rewriting a chunk's view on every update tripled the build time. Not
 * kept.</li>
 * <li>Batches resolve the first two levels of every address in one pass, then the second level over the whole batch,
 * so that the batch's misses overlap: 20 ns against 26 ns for a pass per level.</li>
 * </ul>
 * Single-threaded: the worker that looks addresses up also applies the updates, between packet batches.
 */
public final class Fib {

    /** What {@link #lookup} returns when no route covers the address (also {@link #value} for an absent route). */
    public static final int MISSING = -1;

    /** Bits of the address each level of chunks resolves. */
    private static final int STRIDE = 8;
    private static final int CHUNK_SLOTS = 1 << STRIDE;
    private static final int BYTE = CHUNK_SLOTS - 1;
    /** Chunks the arrays hold at first: the root and one more (2.5 KB in all). */
    private static final int INITIAL_CHUNKS = 2;
    /** The most chunks one int array can index. */
    private static final int MAX_CHUNKS = (Integer.MAX_VALUE - 8) >> STRIDE;
    /** {@link #parents} entry of a chunk on the free list (or never used). */
    private static final int FREE = Integer.MIN_VALUE;
    private static final int ROOT_PARENT = -1;
    private static final int NO_CHUNK = -1;
    /** The depth code of a slot no route covers; a route of length {@code n} owns its slots with code {@code n + 1}. */
    private static final byte UNOWNED = 0;

    private final int maxRoutes;
    private final int maxChunks;

    /**
     * The chunks, {@value #CHUNK_SLOTS} slots each, chunk {@code c} at {@code c << 8}; chunk 0 is the root. A slot
     * holds a value ({@code >= 0}), {@link #MISSING}, or a child chunk as {@link #pointer}.
     */
    private int[] slots;
    /** Per slot: the depth code of the route that owns it (update path only; lookups never read it). */
    private byte[] depths;
    /** Per chunk: the slot that points to it, {@link #ROOT_PARENT} for the root, or {@link #FREE}. */
    private int[] parents;
    /** Chunks handed out once; those below it and not in use are on the free list, linked through their slot 0. */
    private int fresh;
    private int freeList = NO_CHUNK;
    private int chunksInUse;

    /** Exact match, per prefix length (null for a length no route has). */
    private final IntIntMap[] exact = new IntIntMap[33];
    /** Bit {@code n} set when some route has length {@code n}. */
    private long lengthsInUse;
    private final int[] path = new int[4];

    private int size;
    private long rejected;

    /** A FIB of at most {@code maxRoutes} routes; its memory grows with the routes it holds, not with this bound. */
    public Fib(int maxRoutes) {
        if (maxRoutes < 1) {
            throw new IllegalArgumentException("a FIB holds at least one route: " + maxRoutes);
        }
        this.maxRoutes = maxRoutes;
        // a chunk below the root exists only for some route longer than its level: at most three per route
        this.maxChunks = (int) Math.min(MAX_CHUNKS, 3L * maxRoutes + 1);
        reset();
    }

    private void reset() {
        int chunks = Math.min(INITIAL_CHUNKS, maxChunks);
        slots = new int[chunks << STRIDE];
        depths = new byte[chunks << STRIDE];
        parents = new int[chunks];
        Arrays.fill(slots, 0, CHUNK_SLOTS, MISSING);
        Arrays.fill(parents, FREE);
        parents[0] = ROOT_PARENT;
        fresh = 1;
        freeList = NO_CHUNK;
        chunksInUse = 1;
    }

    /** The value of the longest prefix covering {@code address}, or {@link #MISSING}. */
    public int lookup(int address) {
        int[] s = slots;
        int entry = s[address >>> 24];
        if (entry < MISSING) {
            entry = s[base(entry) + ((address >>> 16) & BYTE)];
            if (entry < MISSING) {
                entry = s[base(entry) + ((address >>> 8) & BYTE)];
                if (entry < MISSING) {
                    entry = s[base(entry) + (address & BYTE)];
                }
            }
        }
        return entry;
    }

    /**
     * {@link #lookup(int)} of {@code addresses[0..count)} into {@code results[0..count)}, in passes over the whole
     * batch so that the addresses' cache misses overlap instead of following one another: the root and the first level
     * (1 KB and at most 256 KB: cache hits), then the second level (where a big table misses the caches), then the
     * rare last one.
     */
    public void lookup(int[] addresses, int[] results, int count) {
        int[] s = slots;
        boolean deeper = false;
        for (int i = 0; i < count; i++) {
            int address = addresses[i];
            int entry = s[address >>> 24];
            if (entry < MISSING) {
                entry = s[base(entry) + ((address >>> 16) & BYTE)];
                if (entry < MISSING) {
                    deeper = true;
                }
            }
            results[i] = entry;
        }
        if (!deeper) {
            return;
        }
        deeper = false;
        for (int i = 0; i < count; i++) {
            int entry = results[i];
            if (entry < MISSING) {
                entry = s[base(entry) + ((addresses[i] >>> 8) & BYTE)];
                results[i] = entry;
                deeper |= entry < MISSING;
            }
        }
        if (!deeper) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int entry = results[i];
            if (entry < MISSING) {
                results[i] = s[base(entry) + (addresses[i] & BYTE)];
            }
        }
    }

    /**
     * Adds the route {@code prefix/prefixLength} (bits beyond the length are ignored) with {@code value}, or replaces
     * its value; false, counted in {@link #rejected()}, if it is new and the FIB already holds its most routes.
     */
    public boolean insert(int prefix, int prefixLength, int value) {
        checkLength(prefixLength);
        if (value < 0) {
            throw new IllegalArgumentException("a route's value is in 0..0x7FFF_FFFF: " + value);
        }
        int p = mask(prefix, prefixLength);
        if (get(prefixLength, p) == MISSING) {
            if (size == maxRoutes) {
                rejected++;
                return false;
            }
            size++;
        }
        put(prefixLength, p, value);
        byte code = (byte) (prefixLength + 1);
        int base = 0;
        int start = 0;
        while (prefixLength > start + STRIDE) {
            int slot = base + ((p >>> (24 - start)) & BYTE);
            if (slots[slot] >= MISSING) {
                // a separate statement: newChunk may replace the arrays
                int child = newChunk(slots[slot], depths[slot], slot);
                slots[slot] = pointer(child);
            }
            base = base(slots[slot]);
            start += STRIDE;
        }
        int from = base + ((p >>> (24 - start)) & BYTE);
        int to = from + (1 << (start + STRIDE - prefixLength));
        for (int slot = from; slot < to; slot++) {
            own(slot, value, code);
        }
        return true;
    }

    /** Gives the route the slots (here and below) whose owner is no longer than it. */
    private void own(int slot, int value, byte code) {
        int entry = slots[slot];
        if (entry < MISSING) {
            int base = base(entry);
            for (int s = base; s < base + CHUNK_SLOTS; s++) {
                own(s, value, code);
            }
        } else if (depths[slot] <= code) {
            slots[slot] = value;
            depths[slot] = code;
        }
    }

    /**
     * Removes the route {@code prefix/prefixLength}; its slots go to the longest route covering it (or to none), and
     * the chunks that no longer hold anything longer than their level are freed. Returns whether there was the route.
     */
    public boolean remove(int prefix, int prefixLength) {
        checkLength(prefixLength);
        int p = mask(prefix, prefixLength);
        if (delete(prefixLength, p) == MISSING) {
            return false;
        }
        size--;
        int heir = MISSING;
        byte heirCode = UNOWNED;
        long shorter = lengthsInUse & ((1L << prefixLength) - 1);
        while (shorter != 0) {
            int length = 63 - Long.numberOfLeadingZeros(shorter);
            int value = get(length, mask(p, length));
            if (value != MISSING) {
                heir = value;
                heirCode = (byte) (length + 1);
                break;
            }
            shorter &= ~(1L << length);
        }
        byte code = (byte) (prefixLength + 1);
        int base = 0;
        int start = 0;
        int levels = 0;
        while (prefixLength > start + STRIDE) {
            // the route's own slots lie below: its chunks exist
            int slot = base + ((p >>> (24 - start)) & BYTE);
            path[levels++] = slot;
            base = base(slots[slot]);
            start += STRIDE;
        }
        int from = base + ((p >>> (24 - start)) & BYTE);
        int to = from + (1 << (start + STRIDE - prefixLength));
        for (int slot = from; slot < to; slot++) {
            disown(slot, start + STRIDE, code, heir, heirCode);
        }
        for (int level = levels - 1; level >= 0 && collapse(path[level], STRIDE * (level + 1)); level--) {
            // each chunk freed may leave its parent with nothing longer than the parent's level
        }
        if (chunksInUse * 4 < parents.length && parents.length > INITIAL_CHUNKS) {
            compact(Math.max(INITIAL_CHUNKS, chunksInUse * 2));
        }
        return true;
    }

    /** Gives the heir the slots (here and below) the removed route owned; {@code childStart}: bits above the child. */
    private void disown(int slot, int childStart, byte code, int heir, byte heirCode) {
        int entry = slots[slot];
        if (entry < MISSING) {
            int base = base(entry);
            for (int s = base; s < base + CHUNK_SLOTS; s++) {
                disown(s, childStart + STRIDE, code, heir, heirCode);
            }
            collapse(slot, childStart);
        } else if (depths[slot] == code) {
            slots[slot] = heir;
            depths[slot] = heirCode;
        }
    }

    /**
     * Replaces the chunk {@code slot} points to by a single value when one route no longer than the chunk's level
     * ({@code childStart} bits) owns all its slots (or none does); returns whether it did.
     */
    private boolean collapse(int slot, int childStart) {
        int base = base(slots[slot]);
        int value = slots[base];
        byte code = depths[base];
        if (value < MISSING || code > childStart + 1) {
            return false;
        }
        for (int s = base + 1; s < base + CHUNK_SLOTS; s++) {
            if (slots[s] != value || depths[s] != code) {
                return false;
            }
        }
        slots[slot] = value;
        depths[slot] = code;
        int chunk = base >> STRIDE;
        parents[chunk] = FREE;
        slots[base] = freeList;
        freeList = chunk;
        chunksInUse--;
        return true;
    }

    private int newChunk(int entry, byte code, int parentSlot) {
        int chunk;
        if (freeList != NO_CHUNK) {
            chunk = freeList;
            freeList = slots[chunk << STRIDE];
        } else {
            if (fresh == parents.length) {
                grow();
            }
            chunk = fresh++;
        }
        chunksInUse++;
        int base = chunk << STRIDE;
        Arrays.fill(slots, base, base + CHUNK_SLOTS, entry);
        Arrays.fill(depths, base, base + CHUNK_SLOTS, code);
        parents[chunk] = parentSlot;
        return chunk;
    }

    private void grow() {
        int capacity = parents.length;
        if (capacity == maxChunks) {
            throw new IllegalStateException("no chunk left for " + size + " routes: " + capacity);
        }
        resize((int) Math.min(maxChunks, Math.max(capacity + 1L, capacity + (capacity >> 1))));
    }

    private void resize(int chunks) {
        int oldChunks = parents.length;
        slots = Arrays.copyOf(slots, chunks << STRIDE);
        depths = Arrays.copyOf(depths, chunks << STRIDE);
        parents = Arrays.copyOf(parents, chunks);
        if (chunks > oldChunks) {
            Arrays.fill(parents, oldChunks, chunks, FREE);
        }
    }

    /** Moves the chunks in use to the front, then shrinks the arrays to {@code chunks}: memory given back. */
    private void compact(int chunks) {
        int low = 1;
        int high = fresh - 1;
        while (true) {
            while (low < high && parents[low] != FREE) {
                low++;
            }
            while (high > low && parents[high] == FREE) {
                high--;
            }
            if (low >= high) {
                break;
            }
            move(high, low);
        }
        fresh = chunksInUse;
        freeList = NO_CHUNK;
        resize(chunks);
    }

    private void move(int from, int to) {
        int source = from << STRIDE;
        int target = to << STRIDE;
        System.arraycopy(slots, source, slots, target, CHUNK_SLOTS);
        System.arraycopy(depths, source, depths, target, CHUNK_SLOTS);
        int parentSlot = parents[from];
        parents[to] = parentSlot;
        parents[from] = FREE;
        slots[parentSlot] = pointer(to);
        for (int s = target; s < target + CHUNK_SLOTS; s++) {
            if (slots[s] < MISSING) {
                parents[base(slots[s]) >> STRIDE] = s;
            }
        }
    }

    /** The value installed for exactly {@code prefix/prefixLength}, or {@link #MISSING}. */
    public int value(int prefix, int prefixLength) {
        checkLength(prefixLength);
        return get(prefixLength, mask(prefix, prefixLength));
    }

    /** Routes in the FIB. */
    public int size() {
        return size;
    }

    public int maxRoutes() {
        return maxRoutes;
    }

    /** Inserts refused because the FIB was full. */
    public long rejected() {
        return rejected;
    }

    /** Bytes of the arrays the FIB holds now: chunks, their owners' depths, and the exact-match maps. */
    public long memoryBytes() {
        long bytes = 4L * slots.length + depths.length + 4L * parents.length;
        for (int length = 0; length <= 32; length++) {
            if (exact[length] != null) {
                bytes += exact[length].memoryBytes();
            }
        }
        return bytes;
    }

    /** Chunks of {@value #CHUNK_SLOTS} slots in use, the root included (for tests and sizing). */
    public int chunks() {
        return chunksInUse;
    }

    /** Removes every route and gives back the memory they used. */
    public void clear() {
        Arrays.fill(exact, null);
        lengthsInUse = 0;
        size = 0;
        reset();
    }

    // ---------------------------------------------------------------- exact match per prefix length

    private int get(int length, int prefix) {
        IntIntMap map = exact[length];
        return map == null ? MISSING : map.get(prefix);
    }

    private void put(int length, int prefix, int value) {
        if (exact[length] == null) {
            exact[length] = new IntIntMap();
            lengthsInUse |= 1L << length;
        }
        exact[length].put(prefix, value);
    }

    /** Removes the entry, returning its value or {@link #MISSING}; a length left with no route drops its map. */
    private int delete(int length, int prefix) {
        IntIntMap map = exact[length];
        if (map == null) {
            return MISSING;
        }
        int removed = map.remove(prefix);
        if (map.size() == 0) {
            exact[length] = null;
            lengthsInUse &= ~(1L << length);
        }
        return removed;
    }

    // ---------------------------------------------------------------- slots

    /** A slot's reference to chunk {@code chunk}: below {@link #MISSING}, so one comparison tells it from a value. */
    private static int pointer(int chunk) {
        return -2 - (chunk << STRIDE);
    }

    /** The index of the first slot of the chunk {@code pointer} refers to. */
    private static int base(int pointer) {
        return -2 - pointer;
    }

    private static int mask(int prefix, int length) {
        return length == 0 ? 0 : prefix & (-1 << (32 - length));
    }

    private static void checkLength(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of 0..32: " + prefixLength);
        }
    }
}
