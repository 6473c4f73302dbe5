package io.isthmus.sol.concurrent;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a job one pass at a time however often it is asked (by its timer or by an event saying there is work); a request that
 * arrives during a pass makes one more pass right after it, so no work waits for the next tick.
 */
public final class Trigger {

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public void run(Runnable job) {
        again.set(true);
        while (again.get() && running.compareAndSet(false, true)) {
            try {
                again.set(false);
                job.run();
            } finally {
                running.set(false);
            }
        }
    }
}
