package io.isthmus.e2e.bench.lifecycle;

import java.util.Arrays;
import java.util.Locale;

/** Latencies in nanoseconds, thread-safe to add to; percentiles by the nearest rank. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0 < p ≤ 100) by the nearest rank, in milliseconds; NaN when empty. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }

    synchronized double maxMs() {
        return size == 0 ? Double.NaN : Arrays.stream(values, 0, size).max().getAsLong() / 1e6;
    }

    /** {@code p50 12.3 ms, p99 45.6 ms, max 78.9 ms (n 50)}. */
    String summary() {
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n %d)", percentileMs(50),
                percentileMs(99), maxMs(), count());
    }
}
