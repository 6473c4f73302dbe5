package io.isthmus.nfvo.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drives every open NS operation, one journaled step per transaction, until it waits or closes. One thread does all
 * passes, so passes never overlap; it runs when a transaction that gave it work commits ({@link NsWorkAvailable}) and
 * once per {@code isthmus.nfvo.engine-every} (operations waiting for their VNFs, retries). It keeps its own time rather
 * than use the Quarkus scheduler, whose jobs may still start while the application shuts down. A wake-up during a pass makes one more pass
 * after it. All state is in the database, so a restarted NFVO resumes where the last one stopped. After the
 * operations, it reads again the VnfInstances the VNFM notified changes of, for the NS view.
 */
@ApplicationScoped
public class NsLcmWorker {

    private static final Logger LOG = Logger.getLogger(NsLcmWorker.class);
    /** Steps one operation may take in a row before the others get their turn. */
    private static final int MAX_STEPS_PER_PASS = 20;

    private final NsLcmOpOccRepository ops;
    private final NsOperationStepper stepper;
    private final VnfViewRefresher views;
    private final Duration period;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public NsLcmWorker(NsLcmOpOccRepository ops, NsOperationStepper stepper, VnfViewRefresher views,
            NfvoConfig config) {
        this.period = period(config.engineEvery());
        this.ops = ops;
        this.stepper = stepper;
        this.views = views;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        thread = Thread.ofPlatform().name("nfvo-ns-lcm-worker").daemon().start(this::run);
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
    void workAvailable(@Observes(during = TransactionPhase.AFTER_SUCCESS) NsWorkAvailable work) {
        wake.release();
    }

    private void run() {
        while (running) {
            try {
                // woken by a commit, or the period passed
                wake.tryAcquire(period.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                pass();
                refreshViews();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pass() {
        List<String> open;
        try {
            open = QuarkusTransaction.requiringNew().call(ops::openIds);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not read the open NS operations");
            return;
        }
        for (String id : open) {
            if (!running) {
                return;
            }
            try {
                int steps = 0;
                while (steps < MAX_STEPS_PER_PASS && stepper.advance(id) == NsOperationStepper.Progress.STEPPED) {
                    steps++;
                }
            } catch (RuntimeException e) {
                if (changedMeanwhile(e)) {
                    LOG.infof("NS operation %s changed while it was journaled; it runs again at the next pass", id);
                } else if (running) {
                    // the database failed us; the operation is still journaled as it was and runs again next pass
                    LOG.errorf(e, "NS operation %s could not be advanced", id);
                }
            }
        }
    }

    private void refreshViews() {
        try {
            views.refreshStale();
        } catch (RuntimeException e) {
            if (running) {
                LOG.errorf(e, "Could not refresh the VNF instances the NS view shows");
            }
        }
    }

    /** The scheduler's notation of {@code engine-every}: ISO-8601 ({@code PT1S}), or the same without {@code PT} ({@code 1s}). */
    static Duration period(String every) {
        String iso = every.trim().toUpperCase(java.util.Locale.ROOT);
        return Duration.parse(iso.startsWith("P") ? iso : "PT" + iso);
    }

    private static boolean changedMeanwhile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
