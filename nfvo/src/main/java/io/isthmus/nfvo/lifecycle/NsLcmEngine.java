package io.isthmus.nfvo.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.quarkus.scheduler.Scheduled;

/**
 * Drives every open NS operation one journaled step at a time. Because the step is in PostgreSQL, an NFVO that
 * restarts resumes its operations where they were.
 */
@ApplicationScoped
public class NsLcmEngine {

    private static final Logger LOG = Logger.getLogger(NsLcmEngine.class);

    private final NsLcmOpOccRepository ops;
    private final NsOpStepper stepper;

    public NsLcmEngine(NsLcmOpOccRepository ops, NsOpStepper stepper) {
        this.ops = ops;
        this.stepper = stepper;
    }

    @Scheduled(every = "${isthmus.nfvo.engine-every:250ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void drive() {
        for (String id : ops.openIds()) {
            try {
                stepper.advance(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "NS operation %s: step failed unexpectedly", id);
                stepper.failTemp(id, "Unexpected error: " + e);
            }
        }
    }
}
