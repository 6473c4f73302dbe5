package io.isthmus.fastpath.worker;

/** Never gives up the core: lowest latency, a full core per worker. For pinned workers at line rate. */
public final class BusySpinIdleStrategy implements IdleStrategy {

    @Override
    public void idle() {
        Thread.onSpinWait();
    }

    @Override
    public void reset() {
    }
}
