package io.isthmus.nfvo.lifecycle;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

import io.isthmus.sol.concurrent.PassLoop;
import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.isthmus.sol.client.RemoteCallException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drives every open NS operation, one journaled step per transaction, until it waits or closes. One thread does all
 * passes, on a {@link PassLoop}: when a transaction that gave it work commits ({@link NsWorkAvailable}) and once per
 * {@code isthmus.nfvo.engine-every} (operations waiting for their VNFs, retries). All state is in the database, so a
 * restarted NFVO resumes where the last one stopped. After the operations, it reads again the VnfInstances the VNFM
 * notified changes of, for the NS view, removes the VNFs no NS needs any more ({@link VnfLeftoverReaper}) and reads
 * back the VNFs the VNFM notified the creation or deletion of, for the packages' usageState ({@link VnfUsageRefresher}),
 * and rewires the service chains whose VNFs' ingress changed outside any NS operation ({@link ChainWatch}).
 */
@ApplicationScoped
public class NsLcmWorker {

    private static final Logger LOG = Logger.getLogger(NsLcmWorker.class);
    /** Steps one operation may take in a row before the others get their turn. */
    private static final int MAX_STEPS_PER_PASS = 20;

    private final NsLcmOpOccRepository ops;
    private final NsOperationStepper stepper;
    private final VnfViewRefresher views;
    private final VnfLeftoverReaper reaper;
    private final VnfUsageRefresher usage;
    private final ChainWatch chains;
    private final PassLoop loop;

    public NsLcmWorker(NsLcmOpOccRepository ops, NsOperationStepper stepper, VnfViewRefresher views,
            VnfLeftoverReaper reaper, VnfUsageRefresher usage, ChainWatch chains, NfvoConfig config) {
        this.reaper = reaper;
        this.chains = chains;
        this.usage = usage;
        this.ops = ops;
        this.stepper = stepper;
        this.views = views;
        this.loop = new PassLoop("nfvo-ns-lcm-worker", period(config.engineEvery()), () -> {
            pass();
            refreshViews();
            reconcileWithVnfm();
            watchChains();
        });
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    /** Stops before the datasource closes, so no pass runs into a closing database. */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop();
    }

    /** Work was committed: run a pass now. */
    void workAvailable(@Observes(during = TransactionPhase.AFTER_SUCCESS) NsWorkAvailable work) {
        loop.wake();
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
            if (!loop.running()) {
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
                } else if (loop.running()) {
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
            if (loop.running()) {
                LOG.errorf(e, "Could not refresh the VNF instances the NS view shows");
            }
        }
    }

    private void watchChains() {
        try {
            chains.pass();
        } catch (RuntimeException e) {
            if (loop.running()) {
                LOG.errorf(e, "Could not look at the service chains' wiring");
            }
        }
    }

    private void reconcileWithVnfm() {
        try {
            reaper.pass();
            reaper.finishRollbacks();
            usage.pass();
        } catch (RemoteCallException e) {
            if (loop.running() && e.transientFailure()) {
                // a VNFM stopping or restarting: nothing was changed, the next pass asks again
                LOG.warnf("The VNFs no NS needs any more are removed at the next pass: %s", e.getMessage());
            } else if (loop.running()) {
                LOG.errorf(e, "Could not remove the VNFs no NS needs any more, or read back the VNFs the VNFM has");
            }
        } catch (RuntimeException e) {
            if (loop.running()) {
                LOG.errorf(e, "Could not remove the VNFs no NS needs any more, or read back the VNFs the VNFM has");
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
