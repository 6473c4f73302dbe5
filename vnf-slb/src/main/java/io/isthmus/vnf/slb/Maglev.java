package io.isthmus.vnf.slb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016,
 * section 3.4): a lookup table of prime size {@code M} whose entries name backends, so that a flow's hash modulo
 * {@code M} picks its backend, every backend owns about its share of the entries, and a change of backends moves few
 * entries.
 * <p>
 * Each backend has a permutation of {@code 0..M-1}: {@code permutation[j] = (offset + j * skip) mod M}, with
 * {@code offset = h1 mod M} and {@code skip = h2 mod (M - 1) + 1}, where {@code h1} and {@code h2} are the first and
 * second 8 bytes (big-endian, unsigned) of the SHA-256 of the backend's name in UTF-8 ({@link #permutation}). The
 * table is filled by the paper's population algorithm (Pseudocode 1): backends take turns, each placing itself in the
 * next entry of its permutation that is still empty, until the table is full. Weights (docs/slb.md): in turn round
 * {@code r} (from 0) a backend of weight {@code w} takes its turn when {@code r * w >= credit}, then adds the largest
 * weight to its credit (from 0), so a backend takes turns in proportion to its weight and, with equal weights, every
 * round, which is the paper's algorithm exactly. A backend of weight 0 gets no entry.
 */
public final class Maglev {

    /** The paper's smaller table size, the default: a prime. */
    public static final int DEFAULT_TABLE_SIZE = 65_537;
    /** The largest table size taken (a prime near 2^24). */
    public static final int MAX_TABLE_SIZE = 16_777_213;
    /** The entry of a table without any backend of weight above 0. */
    public static final int NONE = -1;

    private Maglev() {
    }

    /** A backend's permutation seed: {@code offset} and {@code skip} for a table of size {@code m}. */
    public record Permutation(int offset, int skip) {

        /** The {@code j}th entry of the permutation: {@code (offset + j * skip) mod m}. */
        public int at(long j, int m) {
            return (int) ((offset + j * skip) % m);
        }
    }

    /** The permutation of the backend named {@code name} in a table of size {@code m} (see the class comment). */
    public static Permutation permutation(String name, int m) {
        ByteBuffer digest = ByteBuffer.wrap(sha256(name.getBytes(StandardCharsets.UTF_8)));
        long h1 = digest.getLong(0);
        long h2 = digest.getLong(8);
        return new Permutation((int) Long.remainderUnsigned(h1, m), (int) Long.remainderUnsigned(h2, m - 1L) + 1);
    }

    /**
     * The lookup table of size {@code m} for the backends named {@code names} with {@code weights}: entry {@code i}
     * holds the index (in {@code names}) of the backend that owns it, or {@link #NONE} for every entry if no weight is
     * above 0.
     *
     * @throws IllegalArgumentException if {@code m} is not a prime within 3..{@link #MAX_TABLE_SIZE}, the lists
     *         differ in size, a weight is negative, or two names are the same
     */
    public static int[] populate(List<String> names, int[] weights, int m) {
        if (names.size() != weights.length) {
            throw new IllegalArgumentException(names.size() + " names, " + weights.length + " weights");
        }
        checkedSize(m);
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("two backends of one table have the same name");
        }
        Permutation[] permutations = new Permutation[names.size()];
        for (int i = 0; i < permutations.length; i++) {
            permutations[i] = permutation(names.get(i), m);
        }
        return populate(permutations, weights, m);
    }

    /**
     * {@link #populate(List, int[], int)} from the backends' permutations (computed once per backend).
     *
     * @throws IllegalArgumentException as {@link #populate(List, int[], int)}, and if a permutation is not one of a
     *         table of size {@code m} (an offset outside 0..m-1 or a skip outside 1..m-1, with which the population
     *         would never end)
     */
    public static int[] populate(Permutation[] permutations, int[] weights, int m) {
        checkedSize(m);
        int n = permutations.length;
        if (n != weights.length) {
            throw new IllegalArgumentException(n + " permutations, " + weights.length + " weights");
        }
        for (Permutation permutation : permutations) {
            if (permutation.offset() < 0 || permutation.offset() >= m) {
                throw new IllegalArgumentException("offset " + permutation.offset() + " outside 0.." + (m - 1));
            }
            if (permutation.skip() < 1 || permutation.skip() >= m) {
                throw new IllegalArgumentException("skip " + permutation.skip() + " outside 1.." + (m - 1));
            }
        }
        int[] table = new int[m];
        Arrays.fill(table, NONE);
        int maxWeight = 0;
        for (int weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight " + weight);
            }
            maxWeight = Math.max(maxWeight, weight);
        }
        if (maxWeight == 0) {
            return table;
        }
        // next position in each permutation, as the current entry (offset + next * skip) mod m, kept incrementally
        int[] current = new int[n];
        int[] skips = new int[n];
        long[] credit = new long[n];
        for (int i = 0; i < n; i++) {
            current[i] = permutations[i].offset();
            skips[i] = permutations[i].skip();
        }
        int filled = 0;
        for (long round = 0; filled < m; round++) {
            for (int i = 0; i < n && filled < m; i++) {
                if (weights[i] == 0 || round * weights[i] < credit[i]) {
                    continue;
                }
                credit[i] += maxWeight;
                int c = current[i];
                while (table[c] != NONE) {
                    c += skips[i];
                    if (c >= m) {
                        c -= m;
                    }
                }
                table[c] = i;
                c += skips[i];
                current[i] = c >= m ? c - m : c;
                filled++;
            }
        }
        return table;
    }

    /** The entry a flow of {@code hash} falls on: {@code hash} unsigned modulo the table's size. */
    public static int entry(long hash, int m) {
        return (int) Long.remainderUnsigned(hash, m);
    }

    /** Whether {@code m} is a prime (trial division; table sizes are at most {@link #MAX_TABLE_SIZE}). */
    public static boolean isPrime(int m) {
        if (m < 2) {
            return false;
        }
        if (m % 2 == 0) {
            return m == 2;
        }
        for (int d = 3; (long) d * d <= m; d += 2) {
            if (m % d == 0) {
                return false;
            }
        }
        return true;
    }

    private static int checkedSize(int m) {
        if (m < 3 || m > MAX_TABLE_SIZE || !isPrime(m)) {
            throw new IllegalArgumentException(
                    "a Maglev table's size is a prime in 3.." + MAX_TABLE_SIZE + ", got " + m);
        }
        return m;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
