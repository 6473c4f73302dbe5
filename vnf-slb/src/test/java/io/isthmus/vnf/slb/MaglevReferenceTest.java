package io.isthmus.vnf.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Maglev} against a reference written from the paper (Eisenbud et al., NSDI 2016, section 3.4, Pseudocode 1)
 * and the class comment alone, sharing no code with it: the SHA-256 halves reduced with {@link BigInteger}, the whole
 * permutation matrix materialised, and the paper's loop over {@code next[]}, {@code entry[]} and {@code n} as written.
 */
class MaglevReferenceTest {

    private static final int M = Maglev.DEFAULT_TABLE_SIZE;

    // ---------------------------------------------------------------- the permutations

    @ParameterizedTest(name = "M = {0}")
    @ValueSource(ints = {3, 7, 13, 251, 5003, 65_537, 655_373, Maglev.MAX_TABLE_SIZE})
    void everyBackendsPermutationIsTheSha256OfItsName(int m) {
        for (String name : names(300)) {
            long[] reference = Reference.offsetAndSkip(name, m);
            Maglev.Permutation permutation = Maglev.permutation(name, m);
            assertThat(permutation.offset()).as("offset of %s at M = %d", name, m).isEqualTo(reference[0]);
            assertThat(permutation.skip()).as("skip of %s at M = %d", name, m).isEqualTo(reference[1]);
        }
        for (String name : List.of("", "10.0.0.1:80", "backend-ü-東京", "x".repeat(1000))) {
            long[] reference = Reference.offsetAndSkip(name, m);
            assertThat(Maglev.permutation(name, m)).isEqualTo(new Maglev.Permutation((int) reference[0],
                    (int) reference[1]));
        }
    }

    @Test
    void aPermutationsEntriesAreTheMatrixRow() {
        Maglev.Permutation permutation = Maglev.permutation("backend-7", 5003);
        int[] row = Reference.matrix(new long[]{permutation.offset()}, new long[]{permutation.skip()}, 5003)[0];
        for (int j = 0; j < 5003; j++) {
            assertThat(permutation.at(j, 5003)).isEqualTo(row[j]);
        }
        assertThat(Arrays.stream(row).distinct().count()).as("a permutation of 0..M-1").isEqualTo(5003);
    }

    // ---------------------------------------------------------------- the paper's example

    /** The paper's example (section 3.4, Table 1): B0, B1, B2 at M = 7 with offsets 3, 0, 3 and skips 4, 2, 1. */
    @Test
    void thePapersExampleIsPopulatedAsWorkedByHand() {
        long[] offsets = {3, 0, 3};
        long[] skips = {4, 2, 1};

        // Given the example's permutation rows
        int[][] matrix = Reference.matrix(offsets, skips, 7);
        assertThat(matrix[0]).containsExactly(3, 0, 4, 1, 5, 2, 6);
        assertThat(matrix[1]).containsExactly(0, 2, 4, 6, 1, 3, 5);
        assertThat(matrix[2]).containsExactly(3, 4, 5, 6, 0, 1, 2);

        // When the table is populated, by the reference and by Maglev
        int[] reference = Reference.populate(matrix, 7);
        int[] maglev = Maglev.populate(permutations(offsets, skips), new int[]{1, 1, 1}, 7);

        // Then both give the table worked by hand: B1 B0 B1 B0 B2 B2 B0
        assertThat(reference).containsExactly(1, 0, 1, 0, 2, 2, 0);
        assertThat(maglev).containsExactly(reference);

        // And without B1, B0 and B2 (now index 1) share the table as worked by hand: B0 B0 B0 B0 B2 B2 B2
        long[] withoutB1Offsets = {3, 3};
        long[] withoutB1Skips = {4, 1};
        int[] after = Reference.populate(Reference.matrix(withoutB1Offsets, withoutB1Skips, 7), 7);
        assertThat(after).containsExactly(0, 0, 0, 0, 1, 1, 1);
        assertThat(Maglev.populate(permutations(withoutB1Offsets, withoutB1Skips), new int[]{1, 1}, 7))
                .containsExactly(after);
    }

    @Test
    void thePapersExampleWithWeightsTwoOneOneIsPopulatedAsWorkedByHand() {
        long[] offsets = {3, 0, 3};
        long[] skips = {4, 2, 1};
        int[] weights = {2, 1, 1};

        int[] reference = Reference.populateWeighted(Reference.matrix(offsets, skips, 7), weights, 7);
        int[] maglev = Maglev.populate(permutations(offsets, skips), weights, 7);

        // B0 takes turns in rounds 0, 1, 2; B1 and B2 in rounds 0 and 2
        assertThat(reference).containsExactly(1, 0, 1, 0, 2, 0, 2);
        assertThat(maglev).containsExactly(reference);
    }

    // ---------------------------------------------------------------- whole tables

    static Stream<Arguments> equalWeights() {
        List<Arguments> cases = new ArrayList<>();
        for (int n : new int[]{1, 2, 3, 10, 100, 1000}) {
            for (int m : new int[]{7, 13, 251, 5003, M}) {
                cases.add(Arguments.of(n, m));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} backends, M = {1}")
    @MethodSource("equalWeights")
    void withEqualWeightsTheTableIsThePapersPopulation(int n, int m) {
        // Given n backends of weight 1
        List<String> names = names(n);
        int[] weights = new int[n];
        Arrays.fill(weights, 1);

        // When Maglev populates the table
        int[] table = Maglev.populate(names, weights, m);

        // Then it is the paper's loop's table, entry by entry, and the turn rule with equal weights is that loop
        int[][] matrix = Reference.matrix(names, m);
        int[] reference = Reference.populate(matrix, m);
        assertThat(table).isEqualTo(reference);
        Arrays.fill(weights, 7);
        assertThat(Reference.populateWeighted(matrix, weights, m)).isEqualTo(reference);
        assertThat(Maglev.populate(names, weights, m)).isEqualTo(reference);
    }

    @ParameterizedTest(name = "{0} backends, M = {1}, seed {2}")
    @MethodSource("mixedWeights")
    void withMixedWeightsTheTableIsTheTurnRulesPopulation(int n, int m, long seed) {
        // Given n backends of weights 0 to 9, drawn with a fixed seed
        SplittableRandom random = new SplittableRandom(seed);
        List<String> names = names(n);
        int[] weights = IntStream.range(0, n).map(i -> random.nextInt(10)).toArray();
        weights[0] = Math.max(weights[0], 1);

        // When Maglev populates the table
        int[] table = Maglev.populate(names, weights, m);

        // Then it is the reference's table, and no backend of weight 0 has an entry
        assertThat(table).isEqualTo(Reference.populateWeighted(Reference.matrix(names, m), weights, m));
        for (int i = 0; i < n; i++) {
            if (weights[i] == 0) {
                assertThat(table).as("backend %d of weight 0", i).doesNotContain(i);
            }
        }
    }

    static Stream<Arguments> mixedWeights() {
        return Stream.of(Arguments.of(3, 13, 1L), Arguments.of(10, 251, 2L), Arguments.of(10, 5003, 3L),
                Arguments.of(100, 5003, 4L), Arguments.of(100, M, 5L), Arguments.of(1000, M, 6L));
    }

    @Test
    void everyBackendOwnsItsWeightsShareOfTheTable() {
        // Given backends of weights 1, 2 and 3
        int[] weights = {1, 2, 3};

        // When the table of 65,537 entries is populated
        int[] owned = owned(Maglev.populate(names(3), weights, M), 3);

        // Then each owns 1/6, 2/6 and 3/6 of it, within 2 % of its share
        for (int i = 0; i < 3; i++) {
            double share = weights[i] / 6.0;
            assertThat((double) owned[i] / M).as("backend of weight %d", weights[i]).isCloseTo(share,
                    within(0.02 * share));
        }
    }

    @Test
    void equalBackendsOwnEqualSharesOfTheTable() {
        // Given 100 backends of weight 1 in a table of 65,537 (M > 100 N: the paper's condition for a close balance)
        int[] weights = new int[100];
        Arrays.fill(weights, 1);

        int[] owned = owned(Maglev.populate(names(100), weights, M), 100);

        // Then each owns 1/100 of it, within 3 % (the population hands out entries one turn each)
        assertThat(IntStream.of(owned).sum()).isEqualTo(M);
        for (int count : owned) {
            assertThat((double) count / M).isCloseTo(0.01, within(0.03 * 0.01));
        }
    }

    @Test
    void aBackendOfWeightZeroGetsNoEntryAndWithoutWeightEveryEntryIsNone() {
        assertThat(Maglev.populate(names(3), new int[]{2, 0, 1}, 251)).doesNotContain(1).doesNotContain(Maglev.NONE);
        assertThat(Maglev.populate(names(3), new int[]{0, 0, 0}, 251)).containsOnly(Maglev.NONE).hasSize(251);
        assertThat(Maglev.populate(List.of(), new int[0], 13)).containsOnly(Maglev.NONE).hasSize(13);
    }

    @ParameterizedTest(name = "M = {0}")
    @ValueSource(ints = {-7, 0, 1, 2, 4, 9, 15, 65_536, 65_535, 16_777_215})
    void aTableSizeThatIsNotAPrimeFromThreeIsRefused(int m) {
        assertThatThrownBy(() -> Maglev.populate(names(2), new int[]{1, 1}, m))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prime");
        assertThatThrownBy(() -> Maglev.populate(permutations(new long[]{0}, new long[]{1}), new int[]{1}, m))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prime");
    }

    @Test
    void aPrimeAboveTheLargestSizeIsRefused() {
        int prime = BigInteger.valueOf(Maglev.MAX_TABLE_SIZE).nextProbablePrime().intValueExact();

        assertThatThrownBy(() -> Maglev.populate(names(2), new int[]{1, 1}, prime))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void permutationsThatAreNotOfTheTableOrWeightsThatDoNotMatchAreRefused() {
        // a skip of 0 (or of M) never leaves its entry: without this check the population would never end
        assertThatThrownBy(() -> Maglev.populate(permutations(new long[]{0, 0}, new long[]{1, 0}), new int[]{1, 1}, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
        assertThatThrownBy(() -> Maglev.populate(permutations(new long[]{0}, new long[]{7}), new int[]{1}, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
        assertThatThrownBy(() -> Maglev.populate(permutations(new long[]{7}, new long[]{1}), new int[]{1}, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> Maglev.populate(permutations(new long[]{0, 1}, new long[]{1, 1}), new int[]{1}, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights");
    }

    // ---------------------------------------------------------------- disruption

    @Test
    void removingOneOfAHundredBackendsMovesFewOtherEntries() {
        // Given 100 backends of weight 1 and their table
        List<String> names = names(100);
        int[] ones = new int[100];
        Arrays.fill(ones, 1);
        int[] before = Maglev.populate(names, ones, M);

        // When backend 37 is removed and the table populated again
        List<String> without = new ArrayList<>(names);
        String removed = without.remove(37);
        int[] after = Maglev.populate(without, Arrays.copyOf(ones, 99), M);

        // Then every entry of backend 37 has a new owner, and few entries of the others changed owner
        int moved = 0;
        for (int e = 0; e < M; e++) {
            String was = names.get(before[e]);
            String is = without.get(after[e]);
            assertThat(is).isNotEqualTo(removed);
            if (!was.equals(removed) && !was.equals(is)) {
                moved++;
            }
        }
        assertThat((double) moved / M).as("share of the other backends' entries moved").isLessThan(0.05);
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> names(int n) {
        return IntStream.range(0, n).mapToObj(i -> "backend-" + i).toList();
    }

    private static Maglev.Permutation[] permutations(long[] offsets, long[] skips) {
        Maglev.Permutation[] permutations = new Maglev.Permutation[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            permutations[i] = new Maglev.Permutation((int) offsets[i], (int) skips[i]);
        }
        return permutations;
    }

    private static int[] owned(int[] table, int n) {
        int[] owned = new int[n];
        for (int backend : table) {
            owned[backend]++;
        }
        return owned;
    }

    /** The paper's algorithm as written there, and the class comment's turn rule for weights; nothing of Maglev's. */
    static final class Reference {

        private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

        private Reference() {
        }

        /**
         * {offset, skip}: offset = h1 mod M, skip = h2 mod (M - 1) + 1, h1 and h2 the first and second 8 bytes of the
         * name's SHA-256 read as unsigned big-endian numbers.
         */
        static long[] offsetAndSkip(String name, int m) {
            byte[] digest = sha256(name.getBytes(StandardCharsets.UTF_8));
            BigInteger h1 = new BigInteger(1, Arrays.copyOfRange(digest, 0, 8));
            BigInteger h2 = new BigInteger(1, Arrays.copyOfRange(digest, 8, 16));
            assertThat(h1).isLessThan(TWO_TO_THE_64);
            return new long[]{h1.mod(BigInteger.valueOf(m)).longValueExact(),
                    h2.mod(BigInteger.valueOf(m - 1L)).longValueExact() + 1};
        }

        static int[][] matrix(List<String> names, int m) {
            long[] offsets = new long[names.size()];
            long[] skips = new long[names.size()];
            for (int i = 0; i < names.size(); i++) {
                long[] offsetAndSkip = offsetAndSkip(names.get(i), m);
                offsets[i] = offsetAndSkip[0];
                skips[i] = offsetAndSkip[1];
            }
            return matrix(offsets, skips, m);
        }

        /** permutation[i][j] = (offset[i] + j × skip[i]) mod M, every row in full. */
        static int[][] matrix(long[] offsets, long[] skips, int m) {
            int[][] permutation = new int[offsets.length][m];
            for (int i = 0; i < offsets.length; i++) {
                for (int j = 0; j < m; j++) {
                    permutation[i][j] = (int) ((offsets[i] + j * skips[i]) % m);
                }
            }
            return permutation;
        }

        /** Pseudocode 1, line by line ({@code n} there is {@code filled} here). */
        static int[] populate(int[][] permutation, int m) {
            int n = permutation.length;
            int[] next = new int[n];
            int[] entry = new int[m];
            Arrays.fill(entry, -1);
            if (n == 0) {
                return entry;
            }
            int filled = 0;
            while (true) {
                for (int i = 0; i < n; i++) {
                    takeTurn(permutation, next, entry, i);
                    filled = filled + 1;
                    if (filled == m) {
                        return entry;
                    }
                }
            }
        }

        /**
         * The same loop where backend i's turn in round r comes only when r × weight[i] ≥ its credit, the credit
         * growing by the largest weight at each turn it takes: after k turns its credit is k × the largest weight.
         */
        static int[] populateWeighted(int[][] permutation, int[] weight, int m) {
            int n = permutation.length;
            int largest = Arrays.stream(weight).max().orElse(0);
            int[] next = new int[n];
            long[] turns = new long[n];
            int[] entry = new int[m];
            Arrays.fill(entry, -1);
            if (largest == 0) {
                return entry;
            }
            int filled = 0;
            for (long round = 0;; round++) {
                for (int i = 0; i < n; i++) {
                    if (weight[i] == 0 || round * weight[i] < turns[i] * largest) {
                        continue;
                    }
                    turns[i]++;
                    takeTurn(permutation, next, entry, i);
                    filled = filled + 1;
                    if (filled == m) {
                        return entry;
                    }
                }
            }
        }

        /** The body of Pseudocode 1's inner loop: backend i takes the next entry of its permutation still empty. */
        private static void takeTurn(int[][] permutation, int[] next, int[] entry, int i) {
            int c = permutation[i][next[i]];
            while (entry[c] >= 0) {
                next[i] = next[i] + 1;
                c = permutation[i][next[i]];
            }
            entry[c] = i;
            next[i] = next[i] + 1;
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }
}
