package io.isthmus.fastpath.flow;

import java.util.Arrays;
import java.util.List;

import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.fastpath.crypto.AesGcm;

/**
 * ESP security associations by index, for ESP_ENCRYPT and ESP_DECRYPT: AES-GCM with a 16-byte ICV (RFC 4106), tunnel
 * mode, 32-bit or extended sequence numbers, plain or in UDP (RFC 3948). The keying material of an SA is the AES key
 * followed by the 4-byte salt (RFC 4106 §8.1: 20, 28 or 36 bytes).
 * <p>
 * Each SA holds one {@link AesGcm.Context}, keyed when it is installed and freed when it is removed or replaced, an
 * outbound sequence counter or an inbound anti-replay window (a bitmap of at least the SA's window, RFC 4303 §3.4.3
 * and RFC 6479), for inbound SAs the inner address ranges its traffic selectors let in (RFC 4301 §5.2), its counters ({@link io.isthmus.control.SaCounters}) and, for inbound SAs, an entry in a small map
 * from SPI to slot, so ESP_DECRYPT finds the SA by the packet's SPI.
 * <p>
 * A table belongs to one worker (its thread runs the control messages that change it and the packets that use it:
 * cipher contexts are not thread safe). The outbound sequence counters may be shared by the workers of a process
 * ({@link OutboundSequences}), so that no two of them send one SA's sequence number (its IV) twice. Installing and
 * removing allocate; nothing here allocates per packet.
 */
public final class SecurityAssociationTable implements StatsResponseFlyweight.SaCountersSource {

    /** The most sequence numbers an SA without ESN may use: 2^32 - 1 (RFC 4303 §3.3.3: no cycling; rekey). */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;
    /** The most an SA with ESN may use: 2^64 - 1 (unsigned). */
    public static final long MAX_EXTENDED_SEQUENCE = -1L;
    /** {@link #slotOfSpi} found no inbound SA. */
    public static final int MISSING = -1;
    /** {@link #nextSequence}: the SA has used its last sequence number. */
    public static final long EXHAUSTED = 0;

    private static final int[] NO_RANGES = new int[0];
    private static final byte UNUSED = 0;
    private static final byte OUTBOUND = 1;
    private static final byte INBOUND = 2;

    private final byte[] directions;
    private final SecurityAssociation[] installed;
    private final int[] spis;
    private final AesGcm.Context[] contexts;
    private final boolean[] esns;
    private final int[] tunnelSources;
    private final int[] tunnelDestinations;
    private final int[] encapsulationSourcePorts;
    private final int[] encapsulationDestinationPorts;
    private final long[] byteLimits;
    /** Inbound: the selectors' inner source and destination ranges, start and end in turn (empty: any). */
    private final int[][] sourceRanges;
    private final int[][] destinationRanges;
    /** Inbound: the highest sequence number authenticated. */
    private final long[] sequences;
    /** Outbound: where the workers sharing them take the sequence numbers. */
    private final OutboundSequences outboundSequences;
    private final OutboundSequences.Counter[] counters;
    private final int[] windows;
    private final long[][] bitmaps;
    private final long[] packets;
    private final long[] bytes;
    private final long[] replays;
    private final long[] authFailures;
    private final long[] otherDrops;
    /** Inbound SPI to slot, open addressing ({@code spiSlots} -1: empty). */
    private final int[] spiKeys;
    private final int[] spiSlots;
    private AesGcm crypto;

    /** A table whose ciphers are {@link AesGcm#best()}'s, made at the first install. */
    public SecurityAssociationTable(int capacity) {
        this(capacity, null);
    }

    /** A table whose ciphers are {@code crypto}'s (null: {@link AesGcm#best()} at the first install). */
    public SecurityAssociationTable(int capacity, AesGcm crypto) {
        this(capacity, crypto, new OutboundSequences(capacity));
    }

    /**
     * A table whose outbound SAs take their sequence numbers from {@code outboundSequences}, shared with the other
     * workers' tables (of at least {@code capacity} slots).
     */
    public SecurityAssociationTable(int capacity, AesGcm crypto, OutboundSequences outboundSequences) {
        if (outboundSequences.capacity() < capacity) {
            throw new IllegalArgumentException("the shared sequence counters have fewer slots than the table");
        }
        this.crypto = crypto;
        this.outboundSequences = outboundSequences;
        counters = new OutboundSequences.Counter[capacity];
        directions = new byte[capacity];
        installed = new SecurityAssociation[capacity];
        spis = new int[capacity];
        contexts = new AesGcm.Context[capacity];
        esns = new boolean[capacity];
        tunnelSources = new int[capacity];
        tunnelDestinations = new int[capacity];
        encapsulationSourcePorts = new int[capacity];
        encapsulationDestinationPorts = new int[capacity];
        byteLimits = new long[capacity];
        sourceRanges = new int[capacity][];
        destinationRanges = new int[capacity][];
        Arrays.fill(sourceRanges, NO_RANGES);
        Arrays.fill(destinationRanges, NO_RANGES);
        sequences = new long[capacity];
        windows = new int[capacity];
        bitmaps = new long[capacity][];
        packets = new long[capacity];
        bytes = new long[capacity];
        replays = new long[capacity];
        authFailures = new long[capacity];
        otherDrops = new long[capacity];
        int mapSize = Integer.highestOneBit(Math.max(1, capacity) * 2 - 1) << 1;
        spiKeys = new int[mapSize];
        spiSlots = new int[mapSize];
        Arrays.fill(spiSlots, MISSING);
    }

    /**
     * Installs an outbound SA of the first version (plain ESP, 32-bit sequence numbers): packets encrypted with it
     * leave in an outer IPv4 header from {@code tunnelSource} to {@code tunnelDestination}.
     */
    public void installOutbound(int index, int spi, byte[] keyMaterial, int tunnelSource, int tunnelDestination) {
        install(SecurityAssociation.outbound(index, spi, keyMaterial, tunnelSource, tunnelDestination));
    }

    /** Installs an inbound SA of the first version (plain ESP, 32-bit sequence numbers, the default window). */
    public void installInbound(int index, int spi, byte[] keyMaterial) {
        install(SecurityAssociation.inbound(index, spi, keyMaterial));
    }

    /**
     * Installs {@code sa} in its slot. An SA equal to the one there (a slowpath sending its SAs again) changes nothing:
     * its sequence number, window and counters go on. Any other replaces it: a new cipher context (the old one is
     * freed), the sequence number, window and counters start afresh.
     */
    public void install(SecurityAssociation sa) {
        int index = sa.index();
        if (sa.equals(installed[index])) {
            return;
        }
        if (crypto == null) {
            crypto = AesGcm.best();
        }
        byte[] material = sa.keyMaterial();
        int keyLength = material.length - 4;
        int salt = ((material[keyLength] & 0xFF) << 24) | ((material[keyLength + 1] & 0xFF) << 16)
                | ((material[keyLength + 2] & 0xFF) << 8) | (material[keyLength + 3] & 0xFF);
        boolean outbound = sa.direction() == SecurityAssociation.Direction.OUTBOUND;
        AesGcm.Context context = crypto.context(material, 0, keyLength, salt, outbound);
        Arrays.fill(material, (byte) 0);
        clearSlot(index);
        installed[index] = sa;
        spis[index] = sa.spi();
        contexts[index] = context;
        esns[index] = sa.esn();
        tunnelSources[index] = sa.tunnelSource();
        tunnelDestinations[index] = sa.tunnelDestination();
        encapsulationSourcePorts[index] = sa.encapsulationSourcePort();
        encapsulationDestinationPorts[index] = sa.encapsulationDestinationPort();
        byteLimits[index] = sa.byteLimit();
        sourceRanges[index] = ranges(sa.sourceRanges());
        destinationRanges[index] = ranges(sa.destinationRanges());
        sequences[index] = 0;
        if (outbound) {
            counters[index] = outboundSequences.claim(index, sa);
            windows[index] = 0;
            bitmaps[index] = null;
        } else {
            int window = sa.effectiveReplayWindow();
            windows[index] = window;
            // RFC 6479: one block more than the window, a power of two of blocks, so advancing clears whole blocks
            int blocks = Integer.highestOneBit(((window + 63) >>> 6) + 1) << 1;
            bitmaps[index] = new long[blocks];
        }
        directions[index] = outbound ? OUTBOUND : INBOUND;
        rebuildSpiMap();
    }

    private static int[] ranges(List<SecurityAssociation.AddressRange> ranges) {
        if (ranges.isEmpty()) {
            return NO_RANGES;
        }
        int[] flat = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            flat[2 * i] = ranges.get(i).start();
            flat[2 * i + 1] = ranges.get(i).end();
        }
        return flat;
    }

    public void remove(int index) {
        clearSlot(index);
        rebuildSpiMap();
    }

    /** Removes every SA. */
    public void clear() {
        for (int i = 0; i < directions.length; i++) {
            clearSlot(i);
        }
        rebuildSpiMap();
    }

    private void clearSlot(int index) {
        directions[index] = UNUSED;
        installed[index] = null;
        if (contexts[index] != null) {
            contexts[index].close();
            contexts[index] = null;
        }
        bitmaps[index] = null;
        sourceRanges[index] = NO_RANGES;
        destinationRanges[index] = NO_RANGES;
        counters[index] = null;
        packets[index] = 0;
        bytes[index] = 0;
        replays[index] = 0;
        authFailures[index] = 0;
        otherDrops[index] = 0;
    }

    private void rebuildSpiMap() {
        Arrays.fill(spiSlots, MISSING);
        int mask = spiKeys.length - 1;
        for (int index = 0; index < directions.length; index++) {
            if (directions[index] != INBOUND) {
                continue;
            }
            int at = hash(spis[index]) & mask;
            while (spiSlots[at] != MISSING && spiKeys[at] != spis[index]) {
                at = (at + 1) & mask;
            }
            if (spiSlots[at] == MISSING) {
                spiKeys[at] = spis[index];
                spiSlots[at] = index;
            }
        }
    }

    private static int hash(int spi) {
        int h = spi * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The slot of the inbound SA with {@code spi} (the lowest, should two share it), or {@link #MISSING}. */
    public int slotOfSpi(int spi) {
        int mask = spiKeys.length - 1;
        int at = hash(spi) & mask;
        int slot;
        while ((slot = spiSlots[at]) != MISSING) {
            if (spiKeys[at] == spi) {
                return slot;
            }
            at = (at + 1) & mask;
        }
        return MISSING;
    }

    @Override
    public int capacity() {
        return directions.length;
    }

    @Override
    public boolean isInstalled(int index) {
        return directions[index] != UNUSED;
    }

    public boolean isOutbound(int index) {
        return index >= 0 && index < directions.length && directions[index] == OUTBOUND;
    }

    public boolean isInbound(int index) {
        return index >= 0 && index < directions.length && directions[index] == INBOUND;
    }

    /** The SA installed in slot {@code index}, or null. */
    public SecurityAssociation securityAssociation(int index) {
        return installed[index];
    }

    /** Which AES-GCM the table's contexts use ({@code openssl}, {@code jdk}), or null before the first install. */
    public String cryptoName() {
        return crypto == null ? null : crypto.name();
    }

    @Override
    public int spi(int index) {
        return spis[index];
    }

    AesGcm.Context context(int index) {
        return contexts[index];
    }

    public boolean esn(int index) {
        return esns[index];
    }

    public int tunnelSource(int index) {
        return tunnelSources[index];
    }

    public int tunnelDestination(int index) {
        return tunnelDestinations[index];
    }

    public int encapsulationSourcePort(int index) {
        return encapsulationSourcePorts[index];
    }

    /** The UDP port of ESP in UDP, 0 for plain ESP. */
    public int encapsulationDestinationPort(int index) {
        return encapsulationDestinationPorts[index];
    }

    /** The replay window of an inbound SA, in packets. */
    public int replayWindow(int index) {
        return windows[index];
    }

    /**
     * Takes the next outbound sequence number (1, 2, ...), or {@link #EXHAUSTED} after the last one (2^32 - 1, or
     * 2^64 - 1 with ESN): the counter never cycles (RFC 4303 §3.3.3).
     */
    long nextSequence(int index) {
        return counters[index].next(esns[index] ? MAX_EXTENDED_SEQUENCE : MAX_SEQUENCE);
    }

    /** Outbound: the last sequence number taken (by any worker sharing the counters); inbound: the highest authenticated. */
    public long sequence(int index) {
        return directions[index] == OUTBOUND ? counters[index].last() : sequences[index];
    }

    /** Sets an outbound SA's last sequence number used, as if that many packets had gone (tests of exhaustion). */
    void skipTo(int index, long lastSequence) {
        counters[index].skipTo(lastSequence);
    }

    /**
     * The full sequence number of an inbound packet whose header carries {@code low}: the low 32 bits as they are
     * without ESN; with ESN the high 32 bits inferred from the window (RFC 4303 Appendix A2.2).
     */
    long inferSequence(int index, int low) {
        long low32 = low & 0xFFFF_FFFFL;
        if (!esns[index]) {
            return low32;
        }
        long top = sequences[index];
        long topLow = top & 0xFFFF_FFFFL;
        long topHigh = top >>> 32;
        long window = windows[index];
        long high;
        if (topLow >= window - 1) {
            // case A: the window lies within one epoch of 2^32
            high = low32 >= topLow - window + 1 ? topHigh : topHigh + 1;
        } else {
            // case B: the window reaches back into the previous epoch
            high = low32 >= ((topLow - window + 1) & 0xFFFF_FFFFL) && topHigh > 0 ? topHigh - 1 : topHigh;
        }
        return (high << 32) | low32;
    }

    /** Whether an inbound {@code sequence} is new to the window (before authentication). */
    boolean replayCheck(int index, long sequence) {
        if (sequence == 0) {
            return false;
        }
        long top = sequences[index];
        if (Long.compareUnsigned(sequence, top) > 0) {
            return true;
        }
        if (Long.compareUnsigned(top - sequence, windows[index]) >= 0) {
            return false;
        }
        long[] bitmap = bitmaps[index];
        return (bitmap[(int) (sequence >>> 6) & (bitmap.length - 1)] & (1L << sequence)) == 0;
    }

    /** Records an authenticated inbound {@code sequence} ({@link #replayCheck} passed). */
    void replayAccept(int index, long sequence) {
        long[] bitmap = bitmaps[index];
        int mask = bitmap.length - 1;
        long top = sequences[index];
        if (Long.compareUnsigned(sequence, top) > 0) {
            long topBlock = top >>> 6;
            long blocks = (sequence >>> 6) - topBlock;
            if (Long.compareUnsigned(blocks, bitmap.length) >= 0) {
                Arrays.fill(bitmap, 0);
            } else {
                for (long b = 1; b <= blocks; b++) {
                    bitmap[(int) (topBlock + b) & mask] = 0;
                }
            }
            sequences[index] = sequence;
        }
        bitmap[(int) (sequence >>> 6) & mask] |= 1L << sequence;
    }

    /** Whether {@code more} bytes would take the SA beyond its byte limit. */
    boolean exceedsByteLimit(int index, int more) {
        long limit = byteLimits[index];
        return limit != 0 && bytes[index] + more > limit;
    }

    /**
     * Whether inbound SA {@code index}'s selectors let in a decrypted packet from {@code source} to
     * {@code destination} (RFC 4301 §5.2 step 4): each address within one of its ranges, or the SA has none on that
     * side. A linear scan: an SA has a handful of ranges.
     */
    boolean selectorsAllow(int index, int source, int destination) {
        return within(sourceRanges[index], source) && within(destinationRanges[index], destination);
    }

    private static boolean within(int[] ranges, int address) {
        if (ranges.length == 0) {
            return true;
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (Integer.compareUnsigned(address, ranges[i]) >= 0
                    && Integer.compareUnsigned(address, ranges[i + 1]) <= 0) {
                return true;
            }
        }
        return false;
    }

    void countPacket(int index, int length) {
        packets[index]++;
        bytes[index] += length;
    }

    void countReplay(int index) {
        replays[index]++;
    }

    void countAuthFailure(int index) {
        authFailures[index]++;
    }

    void countOtherDrop(int index) {
        otherDrops[index]++;
    }

    @Override
    public long packets(int index) {
        return packets[index];
    }

    @Override
    public long bytes(int index) {
        return bytes[index];
    }

    @Override
    public long replays(int index) {
        return replays[index];
    }

    @Override
    public long authFailures(int index) {
        return authFailures[index];
    }

    @Override
    public long otherDrops(int index) {
        return otherDrops[index];
    }
}
