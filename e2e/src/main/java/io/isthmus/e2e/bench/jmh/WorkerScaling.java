package io.isthmus.e2e.bench.jmh;

import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Figure 6 without sockets: {@link PipelineBenchmark#worker} (a real {@code FastpathWorker} over in-memory rings, its
 * own flow table and frames) with one JMH thread, then two, each thread a worker as {@code --workers 2} makes them;
 * the ratio of their packets per second is how the worker code scales when each worker has a core. Over loopback UDP
 * (ForwardingBenchmark) the load generator and the sink need cores too. Prints {@code RESULT} lines; asserts nothing.
 * <p>
 * {@code java -cp isthmus-bench.jar io.isthmus.e2e.bench.jmh.WorkerScaling [flows]} (1,024 flows by default: the
 * tables stay in each core's cache, so the figure is the workers' own work, not the memory bus they share).
 */
public final class WorkerScaling {

    private WorkerScaling() {
    }

    public static void main(String[] args) throws RunnerException {
        String flows = args.length > 0 ? args[0] : "1024";
        double one = run(1, flows);
        double two = run(2, flows);
        System.out.printf("RESULT scaling.1w %.0f pps%n", one * 1e6);
        System.out.printf("RESULT scaling.2w %.0f pps%n", two * 1e6);
        System.out.printf("RESULT scaling.2w-vs-1w %.2f x%n", two / one);
    }

    /** Mpps of {@code threads} workers together. */
    private static double run(int threads, String flows) throws RunnerException {
        Options options = new OptionsBuilder().include(PipelineBenchmark.class.getName() + ".worker$")
                .param("flows", flows).threads(threads).forks(1).warmupIterations(3).measurementIterations(5)
                .shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        double mpps = results.iterator().next().getPrimaryResult().getScore();
        System.out.printf("BENCH %d worker%s, %s flows each: %.2f Mpps%n", threads, threads == 1 ? "" : "s", flows,
                mpps);
        return mpps;
    }
}
