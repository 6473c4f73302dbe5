package io.isthmus.fastpath.worker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

import io.isthmus.fastpath.io.LinuxSockets;

/**
 * Spins, then yields, then waits for exponentially longer up to a maximum. The wait either parks the thread
 * ({@link #defaults()}: the first packet after a pause waits out the park) or blocks in the kernel until a socket is
 * readable ({@link #onSocket}: the worker wakes as the packet arrives), in both cases bounded by the maximum, which
 * also bounds how late a control message (an INSTALL after a punt) is seen when no data comes.
 */
public final class BackoffIdleStrategy implements IdleStrategy {

    /**
     * Empty polls a worker on a socket makes before it waits, read once ({@code -Disthmus.fastpath.idleSpins}); 0 by
     * default. Spinning on a socket is not cheap: each empty poll is two system calls (data and control), so at 100k
     * packets/s in bursts a worker measured 99 % of a core with 100 spins, 36 % with 10 and 28 % with none; the
     * wake-up the spins save costs a few microseconds of latency at low rates only, since at high rates a poll is
     * never empty.
     */
    static final long SOCKET_SPINS = Long.getLong("isthmus.fastpath.idleSpins", 0);

    /** Waits up to a time; true if woken because there is work. */
    @FunctionalInterface
    interface Waiter {
        boolean await(long nanos);
    }

    private final long maxSpins;
    private final long maxYields;
    private final long minWaitNanos;
    private final long maxWaitNanos;
    private final Waiter waiter;
    private long spins;
    private long yields;
    private long waitNanos;

    BackoffIdleStrategy(long maxSpins, long maxYields, long minWaitNanos, long maxWaitNanos, Waiter waiter) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minWaitNanos = minWaitNanos;
        this.maxWaitNanos = maxWaitNanos;
        this.waiter = waiter;
        reset();
    }

    /** Parks between polls. */
    public BackoffIdleStrategy(long maxSpins, long maxYields, long minParkNanos, long maxParkNanos) {
        this(maxSpins, maxYields, minParkNanos, maxParkNanos, nanos -> {
            LockSupport.parkNanos(nanos);
            return false;
        });
    }

    /** 100 spins, 10 yields, then parks from 1 µs to 1 ms: for I/O that cannot be waited on. */
    public static BackoffIdleStrategy defaults() {
        return new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
    }

    /**
     * {@link #SOCKET_SPINS} spins, then waits in the kernel ({@code ppoll}) for {@code fd} to become readable, from
     * 50 µs up to 1 ms. {@code fd} must stay open while the strategy is used.
     */
    public static BackoffIdleStrategy onSocket(int fd) {
        return onSockets(fd, -1);
    }

    /**
     * As {@link #onSocket}, waking when either socket becomes readable: the worker's data socket and its control
     * socket ({@code otherFd}, -1 for none), so the slowpath's rules and re-injected packets wait for no timeout.
     */
    public static BackoffIdleStrategy onSockets(int fd, int otherFd) {
        return onSockets(fd, otherFd, SOCKET_SPINS, 50_000, 1_000_000);
    }

    static BackoffIdleStrategy onSocket(int fd, long maxSpins, long minWaitNanos, long maxWaitNanos) {
        return onSockets(fd, -1, maxSpins, minWaitNanos, maxWaitNanos);
    }

    static BackoffIdleStrategy onSockets(int fd, int otherFd, long maxSpins, long minWaitNanos, long maxWaitNanos) {
        Arena arena = Arena.ofAuto();
        MemorySegment pollFds = LinuxSockets.allocatePollFd(arena);
        MemorySegment timespec = LinuxSockets.allocateTimespec(arena);
        return new BackoffIdleStrategy(maxSpins, 0, minWaitNanos, maxWaitNanos,
                nanos -> LinuxSockets.waitReadable(fd, otherFd, nanos, pollFds, timespec));
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else if (waiter.await(waitNanos)) {
            waitNanos = minWaitNanos;
        } else {
            waitNanos = Math.min(waitNanos << 1, maxWaitNanos);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        waitNanos = minWaitNanos;
    }
}
