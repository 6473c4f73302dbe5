package io.isthmus.sol.concurrent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One platform thread that runs a pass when woken (a transaction that gave it work committed) or when its period has
 * passed, whichever comes first. Passes never overlap; wake-ups during a pass make one more pass after it. It keeps its
 * own time rather than use the Quarkus scheduler, whose jobs may still start while the application shuts down: a
 * service starts it on {@code StartupEvent} and stops it on {@code ShutdownEvent}, before the datasource closes. The
 * operation engines of the nfvo and the vnfm run on it.
 */
public final class PassLoop {

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Duration period;
    private final Runnable pass;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public PassLoop(String name, Duration period, Runnable pass) {
        this.name = Objects.requireNonNull(name, "name");
        this.period = Objects.requireNonNull(period, "period");
        this.pass = Objects.requireNonNull(pass, "pass");
    }

    /** Starts the thread, which runs a first pass at once. */
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
        wake.release();
    }

    /**
     * Stops after the pass under way, waiting for it up to ten seconds; only a pass still running then is interrupted.
     * A pass is not interrupted at once: a call it has out to another service (a REST client's request) would be
     * abandoned while its answer is still on its way, and that answer arrives after the application has shut down
     * (Vert.x logs it as an "Error Occurred After Shutdown").
     */
    public synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            wake.release();
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(STOP_WAIT.toMillis());
            }
        }
    }

    /** Runs a pass now, or right after the one under way. */
    public void wake() {
        wake.release();
    }

    /** False once stopping: a pass checks it between items and leaves the rest to the next start. */
    public boolean running() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(period.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                pass.run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
