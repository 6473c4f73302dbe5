package io.isthmus.e2e.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.isthmus.vnf.slb.Maglev;

/**
 * Figures 12 and 13: the Maglev lookup table of 1,000 backends of equal weight at M = 65,537. Figure 12 is JMH's
 * average time of one rebuild, with the permutations (a SHA-256 per backend) and from permutations computed before;
 * figure 13 is counted, not timed: the share of the table's entries that change owner when 1 % of the backends fail,
 * not counting the failed backends' own entries (which must move), as the paper (Eisenbud et al., NSDI 2016) measures
 * its tables' resilience to backend failures: 10 backends drawn at random with a fixed seed, 20 draws, averaged.
 * Prints {@code RESULT} lines; asserts nothing.
 * <p>
 * {@code java -cp isthmus-bench.jar io.isthmus.e2e.bench.jmh.MaglevBenchmark [JMH options, e.g. -wi 2 -w 1s -i 3 -r
 * 1s]}; as a JMH class it also runs alone ({@code java -jar isthmus-bench.jar MaglevBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class MaglevBenchmark {

    static final int BACKENDS = 1000;
    static final int TABLE_SIZE = Maglev.DEFAULT_TABLE_SIZE;
    /** Backends failing at once: 1 % of them. */
    static final int FAILED = BACKENDS / 100;
    static final int DRAWS = 20;
    static final long SEED = 11;
    /** Rebuilds timed by their thread's CPU time, after as many to warm up. */
    static final int ROUNDS = 1000;

    private List<String> names;
    private int[] weights;
    private Maglev.Permutation[] permutations;

    @Setup(Level.Trial)
    public void backends() {
        names = names(BACKENDS);
        weights = equalWeights(BACKENDS);
        permutations = names.stream().map(name -> Maglev.permutation(name, TABLE_SIZE))
                .toArray(Maglev.Permutation[]::new);
    }

    /** A rebuild as a change of backends makes it: every backend's permutation from its name, then the population. */
    @Benchmark
    public int[] rebuild() {
        return Maglev.populate(names, weights, TABLE_SIZE);
    }

    /** The population alone, from the permutations kept since the backends were added. */
    @Benchmark
    public int[] rebuildFromPermutations() {
        return Maglev.populate(permutations, weights, TABLE_SIZE);
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        moved(TABLE_SIZE, "maglev.moved");
        moved(655_373, "maglev.moved.655373");
        cpuPerRebuild();
        Options options = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(MaglevBenchmark.class.getName() + "\\.").shouldFailOnError(true).build();
        for (RunResult result : new Runner(options).run()) {
            String method = result.getParams().getBenchmark();
            double ms = result.getPrimaryResult().getScore();
            String name = method.endsWith("FromPermutations") ? "maglev.rebuild.precomputed" : "maglev.rebuild";
            System.out.printf("RESULT %s %.3f ms%n", name, ms);
        }
    }

    /**
     * The paper's disruption: for each draw, {@link #FAILED} backends removed, the table populated again, and the
     * entries counted whose owner changed though it did not fail; printed as % of the table.
     */
    static void moved(int m, String result) {
        List<String> names = names(BACKENDS);
        int[] before = Maglev.populate(names, equalWeights(BACKENDS), m);
        SplittableRandom random = new SplittableRandom(SEED);
        double sum = 0;
        double least = Double.MAX_VALUE;
        double most = 0;
        for (int draw = 0; draw < DRAWS; draw++) {
            boolean[] failed = new boolean[BACKENDS];
            int[] left = IntStream.range(0, BACKENDS).toArray();
            for (int k = 0; k < FAILED; k++) {
                // a partial Fisher-Yates shuffle: the first FAILED of left are the failed backends
                int pick = k + random.nextInt(BACKENDS - k);
                int swap = left[k];
                left[k] = left[pick];
                left[pick] = swap;
                failed[left[k]] = true;
            }
            List<String> alive = new ArrayList<>();
            int[] aliveIndex = new int[BACKENDS - FAILED];
            for (int i = 0; i < BACKENDS; i++) {
                if (!failed[i]) {
                    aliveIndex[alive.size()] = i;
                    alive.add(names.get(i));
                }
            }
            int[] after = Maglev.populate(alive, equalWeights(alive.size()), m);
            int changed = 0;
            for (int e = 0; e < m; e++) {
                if (!failed[before[e]] && aliveIndex[after[e]] != before[e]) {
                    changed++;
                }
            }
            double percent = 100.0 * changed / m;
            sum += percent;
            least = Math.min(least, percent);
            most = Math.max(most, percent);
        }
        System.out.printf("BENCH %s: %d of %d backends failed, M = %,d, %d draws (seed %d): %.3f %% of the entries"
                + " moved on average (%.3f to %.3f), the failed backends' own not counted%n", result, FAILED, BACKENDS,
                m, DRAWS, SEED, sum / DRAWS, least, most);
        System.out.printf("RESULT %s %.3f %%%n", result, sum / DRAWS);
    }

    /**
     * The thread's CPU time per rebuild, beside JMH's wall-clock time: on a machine shared with other work the wall
     * clock also counts the time the thread waited for a core.
     */
    static void cpuPerRebuild() {
        MaglevBenchmark state = new MaglevBenchmark();
        state.backends();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int sink = 0;
        for (int i = 0; i < ROUNDS; i++) {
            sink += state.rebuild()[i];
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            sink += state.rebuild()[i];
        }
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / ROUNDS;
        double wallMs = (System.nanoTime() - wall) / 1e6 / ROUNDS;
        System.out.printf("BENCH maglev.rebuild.cpu: %d rebuilds after %d to warm up: %.3f ms CPU, %.3f ms wall clock"
                + " each (%d)%n", ROUNDS, ROUNDS, cpuMs, wallMs, sink);
        System.out.printf("RESULT maglev.rebuild.cpu %.3f ms%n", cpuMs);
    }

    static List<String> names(int n) {
        return IntStream.range(0, n).mapToObj(i -> "backend-" + i).toList();
    }

    private static int[] equalWeights(int n) {
        int[] weights = new int[n];
        Arrays.fill(weights, 1);
        return weights;
    }
}
