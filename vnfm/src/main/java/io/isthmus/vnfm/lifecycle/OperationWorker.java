package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drives the operations: each operation that has a step due is advanced, one step per transaction, until it waits or
 * closes. One thread does all passes, so passes never overlap; it runs when a transaction that gave it work commits
 * ({@link WorkAvailable}) and once per {@code isthmus.vnfm.worker.interval} (retries after a back-off). It keeps its own
 * time rather than use the Quarkus scheduler, whose jobs may still start while the application shuts down. A wake-up during a pass makes one
 * more pass after it. All its state is in the database, so a restarted vnfm resumes where the last one stopped.
 */
@ApplicationScoped
public class OperationWorker {

    private static final Logger LOG = Logger.getLogger(OperationWorker.class);

    private final LcmOpOccRepository ops;
    private final OperationStepper stepper;
    private final VnfmConfig config;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public OperationWorker(LcmOpOccRepository ops, OperationStepper stepper, VnfmConfig config, Clock clock) {
        this.ops = ops;
        this.stepper = stepper;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        thread = Thread.ofPlatform().name("vnfm-operation-worker").daemon().start(this::run);
        wake.release();
    }

    /** Stops before the datasource closes, so no pass runs into a closing database. */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Work was committed: run a pass now. */
    void workAvailable(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkAvailable work) {
        wake.release();
    }

    private void run() {
        while (running) {
            try {
                // woken by a commit, or the interval passed
                wake.tryAcquire(config.worker().interval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                pass();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pass() {
        List<String> due;
        try {
            due = QuarkusTransaction.requiringNew()
                    .call(() -> ops.dueIds(clock.instant(), config.worker().batchSize()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not read the due operations");
            return;
        }
        for (String id : due) {
            if (!running) {
                return;
            }
            try {
                int steps = 0;
                while (steps < config.worker().maxStepsPerTick()
                        && stepper.advance(id) == OperationStepper.Progress.STEPPED) {
                    steps++;
                }
            } catch (RuntimeException e) {
                if (running) {
                    // the database failed us; the operation is still journaled as it was and runs again next tick
                    LOG.errorf(e, "op %s could not be advanced", id);
                }
            }
        }
    }
}
