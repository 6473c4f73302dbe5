package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.context.ManagedExecutor;

import org.jboss.logging.Logger;

import io.isthmus.sol.concurrent.Trigger;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Drives the operations: on every tick, each operation that has a step due is advanced, one step per transaction,
 * until it waits or closes. All its state is in the database, so a restarted vnfm resumes where the last one stopped.
 */
@ApplicationScoped
public class OperationWorker {

    private static final Logger LOG = Logger.getLogger(OperationWorker.class);

    private final LcmOpOccRepository ops;
    private final OperationStepper stepper;
    private final VnfmConfig config;
    private final Clock clock;
    private final ManagedExecutor executor;
    private final Trigger trigger = new Trigger();

    public OperationWorker(LcmOpOccRepository ops, OperationStepper stepper, VnfmConfig config, Clock clock,
            ManagedExecutor executor) {
        this.executor = executor;
        this.ops = ops;
        this.stepper = stepper;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "vnfm-operation-worker", every = "${isthmus.vnfm.worker.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        trigger.run(this::pass);
    }

    void kick(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkAvailable work) {
        executor.execute(this::tick);
    }

    private void pass() {
        List<String> due = QuarkusTransaction.requiringNew()
                .call(() -> ops.dueIds(clock.instant(), config.worker().batchSize()));
        for (String id : due) {
            try {
                int steps = 0;
                while (steps < config.worker().maxStepsPerTick()
                        && stepper.advance(id) == OperationStepper.Progress.STEPPED) {
                    steps++;
                }
            } catch (RuntimeException e) {
                // the database failed us; the operation is still journaled as it was and runs again next tick
                LOG.errorf(e, "op %s could not be advanced", id);
            }
        }
    }
}
