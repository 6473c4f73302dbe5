package io.isthmus.fastpath.worker;

/**
 * Bounds the punt rate so a flood of new flows cannot swamp the slowpath: a generic cell rate algorithm (a token
 * bucket without a refill loop) allowing {@code ratePerSecond} on average and bursts of {@code burst}. Over the limit
 * the caller drops and counts; nothing ever waits. Single-threaded, allocation-free.
 */
public final class PuntLimiter {

    private final long emissionIntervalNanos;
    private final long toleranceNanos;
    private long theoreticalArrival = Long.MIN_VALUE;

    public PuntLimiter(long ratePerSecond, int burst) {
        if (ratePerSecond <= 0 || ratePerSecond > 1_000_000_000L || burst < 1) {
            throw new IllegalArgumentException("rate 1..1e9/s and burst >= 1, got " + ratePerSecond + "/" + burst);
        }
        this.emissionIntervalNanos = 1_000_000_000L / ratePerSecond;
        this.toleranceNanos = emissionIntervalNanos * (burst - 1);
    }

    /** Whether one more punt may go out at {@code nowNanos}; if so it is accounted. */
    public boolean tryAcquire(long nowNanos) {
        long arrival = theoreticalArrival == Long.MIN_VALUE ? nowNanos : Math.max(theoreticalArrival, nowNanos);
        if (arrival - nowNanos > toleranceNanos) {
            return false;
        }
        theoreticalArrival = arrival + emissionIntervalNanos;
        return true;
    }
}
