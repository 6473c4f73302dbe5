package io.isthmus.nfvo.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.isthmus.sol.concurrent.Trigger;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.service.NsOperationsChanged;
import io.quarkus.scheduler.Scheduled;

/**
 * Drives every open NS operation one journaled step at a time. Because the step is in PostgreSQL, an NFVO that
 * restarts resumes its operations where they were. It runs on a timer and, so that nobody waits for the timer, as
 * soon as a transaction that started an operation or received a VNF notification commits; one pass at a time, and
 * a pass asked for while one runs is run right after it.
 */
@ApplicationScoped
public class NsLcmEngine {

    private static final Logger LOG = Logger.getLogger(NsLcmEngine.class);
    /** Passes in a row while operations keep advancing, so a run of quick steps does not wait for the timer. */
    private static final int MAX_ROUNDS = 20;

    private final NsLcmOpOccRepository ops;
    private final NsOpStepper stepper;
    private final ManagedExecutor executor;
    private final Trigger trigger = new Trigger();

    public NsLcmEngine(NsLcmOpOccRepository ops, NsOpStepper stepper, ManagedExecutor executor) {
        this.ops = ops;
        this.stepper = stepper;
        this.executor = executor;
    }

    @Scheduled(every = "${isthmus.nfvo.engine-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drive() {
        trigger.run(() -> {
            for (int round = 0; round < MAX_ROUNDS && pass(); round++) {
                // keep going while something moved
            }
        });
    }

    void kick(@Observes(during = TransactionPhase.AFTER_SUCCESS) NsOperationsChanged changed) {
        executor.execute(this::drive);
    }

    private boolean pass() {
        boolean moved = false;
        for (String id : ops.openIds()) {
            try {
                moved |= stepper.advance(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "NS operation %s: step failed unexpectedly", id);
                stepper.failTemp(id, "Unexpected error: " + e);
            }
        }
        return moved;
    }
}
