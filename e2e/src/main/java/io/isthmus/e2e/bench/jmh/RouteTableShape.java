package io.isthmus.e2e.bench.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A route table shaped like the public IPv4 BGP table: its prefix-length histogram, with the prefixes spread at random
 * (a seeded generator: the same table every run) over the unicast space 1.0.0.0–223.255.255.255, no prefix twice.
 * Spreading them evenly is the harder case for a FIB's caches: real tables cluster in the allocated blocks.
 */
public final class RouteTableShape {

    /**
     * Prefixes per million for each length 0..32: the public table of 2024 (≈ 1M prefixes, after bgp.potaroo.net's
     * and the CIDR report's histograms), rounded: /24 62.0 %, /22 11.5 %, /23 10.0 %, /21 5.2 %, /20 4.2 %, /19 2.8 %,
     * /16 1.4 %, /18 1.35 %, /17 0.8 %, /8–/15 0.41 %, /25–/32 0.36 %; /24 takes what the others leave of a
     * million.
     */
    static final int[] PER_MILLION = {0, 0, 0, 0, 0, 0, 0, 0, 16, 13, 37, 101, 300, 600, 1_100, 1_900, 14_000, 8_000,
            13_500, 28_000, 42_000, 52_000, 115_000, 100_000, 0, 1_000, 800, 500, 400, 300, 200, 50, 300};

    static {
        PER_MILLION[24] = 1_000_000 - Arrays.stream(PER_MILLION).sum();
    }

    /** The unicast space: 1.0.0.0 up to, not including, 224.0.0.0. */
    private static final long FIRST = 0x0100_0000L;
    private static final long END = 0xE000_0000L;

    private final int[] prefixes;
    private final int[] lengths;

    private RouteTableShape(int[] prefixes, int[] lengths) {
        this.prefixes = prefixes;
        this.lengths = lengths;
    }

    /** {@code routes} distinct prefixes of the histogram's lengths, in a random order. */
    public static RouteTableShape generate(int routes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = new int[routes];
        int n = 0;
        for (int length = 0; length <= 32; length++) {
            int count = (int) ((long) PER_MILLION[length] * routes / 1_000_000);
            for (int i = 0; i < count && n < routes; i++) {
                lengths[n++] = length;
            }
        }
        Arrays.fill(lengths, n, routes, 24);
        // distinct (prefix, length) pairs: a set of longs, open addressing, key 0 free (length 0 is never drawn)
        long[] seen = new long[Integer.highestOneBit(Math.max(16, routes * 4 - 1)) << 1];
        int mask = seen.length - 1;
        int[] prefixes = new int[routes];
        for (int i = 0; i < routes; i++) {
            while (true) {
                int prefix = mask((int) (FIRST + random.nextLong(END - FIRST)), lengths[i]);
                long key = ((long) lengths[i] << 32) | (prefix & 0xFFFF_FFFFL);
                int slot = (int) (mix(key) & mask);
                while (seen[slot] != 0 && seen[slot] != key) {
                    slot = (slot + 1) & mask;
                }
                if (seen[slot] == 0) {
                    seen[slot] = key;
                    prefixes[i] = prefix;
                    break;
                }
            }
        }
        // a random order, so that inserting is not sorted by length
        for (int i = routes - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int p = prefixes[i];
            prefixes[i] = prefixes[j];
            prefixes[j] = p;
            int l = lengths[i];
            lengths[i] = lengths[j];
            lengths[j] = l;
        }
        return new RouteTableShape(prefixes, lengths);
    }

    public int size() {
        return prefixes.length;
    }

    public int prefix(int i) {
        return prefixes[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** An address inside route {@code i}, drawn with {@code random}. */
    public int addressIn(int i, SplittableRandom random) {
        int length = lengths[i];
        return length == 32 ? prefixes[i] : prefixes[i] | (random.nextInt() >>> length);
    }

    static int mask(int prefix, int length) {
        return length == 0 ? 0 : prefix & (-1 << (32 - length));
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return x ^ (x >>> 33);
    }
}
