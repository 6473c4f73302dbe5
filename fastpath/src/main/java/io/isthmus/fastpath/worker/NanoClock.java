package io.isthmus.fastpath.worker;

/** A monotonic clock in nanoseconds; injected so tests drive time. */
@FunctionalInterface
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
