package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import io.isthmus.sol.concurrent.PassLoop;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Drives the operations: each operation that has a step due is advanced, one step per transaction, until it waits or
 * closes. Its passes run on a {@link PassLoop}: when a transaction that gave it work commits ({@link WorkAvailable}) and
 * once per {@code isthmus.vnfm.worker.interval} (retries after a back-off). All its state is in the database, so a restarted vnfm resumes where the last one stopped.
 */
@ApplicationScoped
public class OperationWorker {

    private static final Logger LOG = Logger.getLogger(OperationWorker.class);

    private final LcmOpOccRepository ops;
    private final OperationStepper stepper;
    private final VnfmConfig config;
    private final Clock clock;
    private final PassLoop loop;
    private final PassLoop leases;

    public OperationWorker(LcmOpOccRepository ops, OperationStepper stepper, VnfmConfig config, Clock clock) {
        this.ops = ops;
        this.stepper = stepper;
        this.config = config;
        this.clock = clock;
        this.loop = new PassLoop("vnfm-operation-worker", config.worker().interval(), this::pass);
        this.leases = new PassLoop("vnfm-lease-renewal", config.worker().lease().dividedBy(3), this::renew);
    }

    void start(@Observes StartupEvent started) {
        loop.start();
        leases.start();
    }

    /** Stops before the datasource closes, so no pass runs into a closing database. */
    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        loop.stop();
        leases.stop();
    }

    /** Keeps the leases of the steps this vnfm runs, however long a step takes (a vim start, a drain). */
    private void renew() {
        try {
            QuarkusTransaction.requiringNew().run(
                    () -> ops.renewLeases(stepper.owner(), clock.instant().plus(config.worker().lease())));
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew the leases of the steps in flight: %s", e.getMessage());
        }
    }

    /** Work was committed: run a pass now. */
    void workAvailable(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkAvailable work) {
        loop.wake();
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
            if (!loop.running()) {
                return;
            }
            try {
                int steps = 0;
                while (steps < config.worker().maxStepsPerTick()
                        && stepper.advance(id) == OperationStepper.Progress.STEPPED) {
                    steps++;
                }
            } catch (RuntimeException e) {
                if (loop.running()) {
                    // the database failed us; the operation is still journaled as it was and runs again next tick
                    LOG.errorf(e, "op %s could not be advanced", id);
                }
            }
        }
    }
}
