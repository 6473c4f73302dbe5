package io.isthmus.fastpath.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.isthmus.control.FastpathStats;

/**
 * A worker's counters, indexed as {@link FastpathStats} lays them out on the wire. Single writer (the worker thread),
 * any reader: writes are opaque stores, so readers on other threads see recent values without the worker paying for
 * a fence.
 */
public final class WorkerCounters {

    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[FastpathStats.COUNTER_COUNT];

    public void increment(int index) {
        COUNTERS.setOpaque(values, index, values[index] + 1);
    }

    public void add(int index, long delta) {
        COUNTERS.setOpaque(values, index, values[index] + delta);
    }

    public void set(int index, long value) {
        COUNTERS.setOpaque(values, index, value);
    }

    public long get(int index) {
        return (long) COUNTERS.getOpaque(values, index);
    }

    /** The live array, for the worker to encode a STATS_RESPONSE from (on its own thread). */
    long[] array() {
        return values;
    }

    /** A snapshot for other threads. */
    public FastpathStats snapshot() {
        long[] v = new long[FastpathStats.COUNTER_COUNT];
        for (int i = 0; i < v.length; i++) {
            v[i] = get(i);
        }
        return FastpathStats.of(v);
    }
}
