package io.isthmus.e2e.bench.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.isthmus.fastpath.flow.RouteTable;
import io.isthmus.fastpath.route.Fib;

/**
 * The FIB of a route table of 1M routes shaped like the public IPv4 table ({@link RouteTableShape}): ns per lookup in
 * batches of 32 addresses drawn from the routes' space ({@code covered*}) or uniformly ({@code uniform*}); one
 * incremental update (a route inserted, then removed, into the full table: per update); and building the whole table
 * into an empty FIB (one shot). Goals (issue 13): ≤ 10 ns per lookup in batches, ≤ 2 s to build. {@code trie*}: the
 * binary trie {@link RouteTable} it replaces, on the same addresses. Printed, never asserted; the setup prints the
 * memory per route.
 * <p>
 * {@code java -jar isthmus-bench.jar FibLookupBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class FibLookupBenchmark {

    static final int ROUTES = 1_000_000;
    static final long SEED = 2026;
    /** Addresses looked up, in batches: more than any cache holds of the table. */
    private static final int SAMPLE = 1 << 20;
    private static final int BATCH = 32;
    private static final int UPDATES = 10_000;

    private RouteTableShape shape;
    private Fib fib;
    private final int[][] covered = new int[SAMPLE / BATCH][BATCH];
    private final int[][] uniform = new int[SAMPLE / BATCH][BATCH];
    private final int[] results = new int[BATCH];
    /** Routes absent from the table, of the table's shape, for {@link #update}. */
    private final int[] updatePrefixes = new int[UPDATES];
    private final int[] updateLengths = new int[UPDATES];
    private int cursor;

    @Setup(Level.Trial)
    public void fill() {
        shape = RouteTableShape.generate(ROUTES, SEED);
        long start = System.nanoTime();
        fib = build(shape);
        long built = System.nanoTime() - start;
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int[] batch : covered) {
            for (int i = 0; i < BATCH; i++) {
                batch[i] = shape.addressIn(random.nextInt(ROUTES), random);
            }
        }
        for (int[] batch : uniform) {
            for (int i = 0; i < BATCH; i++) {
                batch[i] = random.nextInt();
            }
        }
        RouteTableShape more = RouteTableShape.generate(2 * UPDATES, SEED + 2);
        for (int i = 0, n = 0; n < UPDATES; i++) {
            if (fib.value(more.prefix(i), more.length(i)) == Fib.MISSING) {
                updatePrefixes[n] = more.prefix(i);
                updateLengths[n++] = more.length(i);
            }
        }
        start = System.nanoTime();
        for (int n = 0; n < UPDATES; n++) {
            fib.insert(updatePrefixes[n], updateLengths[n], n);
            fib.remove(updatePrefixes[n], updateLengths[n]);
        }
        long updated = System.nanoTime() - start;
        System.out.printf("%n%,d routes, %,d chunks, %,d MiB: %.1f bytes per route; built in %,d ms; %,d inserts and"
                + " removes in %,d µs: %,d ns per update (setup, once, cold)%n", fib.size(), fib.chunks(),
                fib.memoryBytes() >> 20, (double) fib.memoryBytes() / fib.size(), built / 1_000_000, 2 * UPDATES,
                updated / 1000, updated / (2 * UPDATES));
    }

    static Fib build(RouteTableShape shape) {
        Fib fib = new Fib(shape.size());
        for (int i = 0; i < shape.size(); i++) {
            fib.insert(shape.prefix(i), shape.length(i), i);
        }
        return fib;
    }

    /** 32 addresses inside the routes at a time, as a worker looks up a received batch. Reported per address. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int coveredBatch() {
        int[] batch = covered[cursor++ & (SAMPLE / BATCH - 1)];
        fib.lookup(batch, results, BATCH);
        return results[0] ^ results[BATCH - 1];
    }

    /** As {@link #coveredBatch}, one {@link Fib#lookup(int)} at a time (the CPU still overlaps independent ones). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int coveredSingles() {
        int[] batch = covered[cursor++ & (SAMPLE / BATCH - 1)];
        int hits = 0;
        for (int i = 0; i < BATCH; i++) {
            hits ^= fib.lookup(batch[i]);
        }
        return hits;
    }

    /** 32 uniformly random addresses at a time (a quarter of them outside the unicast space, a few unrouted). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int uniformBatch() {
        int[] batch = uniform[cursor++ & (SAMPLE / BATCH - 1)];
        fib.lookup(batch, results, BATCH);
        return results[0] ^ results[BATCH - 1];
    }

    /** A route of the table's shape inserted into the full table, then removed: reported per update. */
    @Benchmark
    @OperationsPerInvocation(2)
    public boolean update() {
        int n = cursor++ % UPDATES;
        fib.insert(updatePrefixes[n], updateLengths[n], n);
        return fib.remove(updatePrefixes[n], updateLengths[n]);
    }

    /** The whole table into an empty FIB, in the shape's random order. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Fib buildFull() {
        return build(shape);
    }

    /**
     * The memory system's share: one load per address from a 64 MiB array indexed by its top 24 bits (a DIR-24-8's
     * first table, no second level), 32 at a time. No FIB bigger than the caches can beat it on this machine.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int floor(Floor floor) {
        int[] batch = covered[cursor++ & (SAMPLE / BATCH - 1)];
        int[] table = floor.table;
        int loaded = 0;
        for (int i = 0; i < BATCH; i++) {
            loaded ^= table[batch[i] >>> 8];
        }
        return loaded;
    }

    @State(Scope.Thread)
    public static class Floor {

        final int[] table = new int[1 << 24];
        final int[] top = new int[1 << 16];

        @Setup(Level.Trial)
        public void fill() {
            Arrays.setAll(table, i -> i);
            SplittableRandom random = new SplittableRandom(5);
            Arrays.setAll(top, i -> random.nextInt(1 << 16) << 8);
        }
    }

    /**
     * The least a FIB of two levels costs: a load from a 256 KB table by the top 16 bits, then the dependent one from
     * the 64 MB table (a DIR-16-8's shape, nothing compared), 32 at a time.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int twoLevelFloor(Floor floor) {
        int[] batch = covered[cursor++ & (SAMPLE / BATCH - 1)];
        int[] table = floor.table;
        int[] top = floor.top;
        int loaded = 0;
        for (int i = 0; i < BATCH; i++) {
            int a = batch[i];
            loaded ^= table[top[a >>> 16] + ((a >>> 8) & 0xFF)];
        }
        return loaded;
    }

    /** The binary trie on the same table and addresses. */
    @State(Scope.Thread)
    public static class Trie {

        RouteTable table;

        @Setup(Level.Trial)
        public void fill(FibLookupBenchmark benchmark) {
            table = new RouteTable(ROUTES);
            for (int i = 0; i < ROUTES; i++) {
                table.install(benchmark.shape.prefix(i), benchmark.shape.length(i), i, 0, 0);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int trieCovered(Trie trie) {
        int[] batch = covered[cursor++ & (SAMPLE / BATCH - 1)];
        int hits = 0;
        for (int i = 0; i < BATCH; i++) {
            hits ^= trie.table.lookup(batch[i]);
        }
        return hits;
    }
}
