package io.isthmus.slowpath.control;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The policy thread: drains the {@link ControlQueue} through the {@link PolicyDriver} in batches, and calls the
 * policy's timer when it is due. When there is nothing to do it spins briefly, then parks until the control thread
 * {@link #signal()}s a message, a registration or a route-table ack (or the policy a change it submitted, or the
 * {@link HealthProber} a health check's change, or the driver a timer brought forward), until the policy's timer or a
 * route-table resend is due, or at most {@link #REFRESH_NANOS}, after which it re-reads the registry so a fastpath that
 * fell silent stops getting rules.
 */
public final class PolicyWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(PolicyWorker.class.getName());

    static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SPINS = 200;

    private final ControlQueue queue;
    private final PolicyDriver driver;
    private final SlowpathCounters counters;
    private volatile boolean running = true;
    private volatile boolean parked;
    private volatile Thread thread;
    private boolean loggedError;

    public PolicyWorker(ControlQueue queue, PolicyDriver driver, SlowpathCounters counters) {
        this.queue = queue;
        this.driver = driver;
        this.counters = counters;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long nextRefresh = System.nanoTime() + REFRESH_NANOS;
        int idle = 0;
        while (running) {
            int work;
            try {
                work = driver.drain(queue, PolicyDriver.BATCH);
                long now = System.nanoTime();
                if (now - nextRefresh >= 0) {
                    driver.refreshOnPolicyThread();
                    nextRefresh = now + REFRESH_NANOS;
                }
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                if (!loggedError) {
                    loggedError = true;
                    LOG.log(Level.ERROR, "policy thread failed (logged once, then counted)", e);
                }
                work = 1;
            }
            if (work > 0) {
                idle = 0;
            } else if (idle < SPINS) {
                idle++;
                Thread.onSpinWait();
            } else {
                park();
            }
        }
    }

    /**
     * Wakes the policy thread if it is parked (control thread, after a message or a registration; a probe's thread,
     * after a health check's change; an HTTP thread, after a configuration that brought the policy's timer forward).
     */
    public void signal() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops the loop; the thread ends after its current batch. */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void park() {
        parked = true;
        // re-check after announcing: a message offered before the flag was seen is not left waiting
        long wait = Math.min(Math.min(REFRESH_NANOS, driver.nanosUntilTimer()), driver.nanosUntilRouteResend());
        if (wait > 0 && running && queue.isEmpty() && !driver.registryChanged() && !driver.healthChanged()
                && !driver.hasRouteOrSubmittedWork()) {
            LockSupport.parkNanos(this, wait);
        }
        parked = false;
    }
}
