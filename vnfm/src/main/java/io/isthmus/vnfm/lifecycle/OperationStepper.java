package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.OperationStep;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Advances one operation by one step: reads it (transaction 1), runs the step's calls (no transaction), journals the
 * outcome (transaction 2). The journal entry is refused if the operation changed meanwhile (its version), so two
 * workers, or a worker and a client's retry, never both apply a step.
 */
@ApplicationScoped
public class OperationStepper {

    private static final Logger LOG = Logger.getLogger(OperationStepper.class);

    /** What one call achieved. */
    public enum Progress {
        /** A step was journaled; the operation may have more to run at once. */
        STEPPED,
        /** Nothing to run now: closed, FAILED_TEMP, waiting for its next attempt, or changed by someone else. */
        IDLE
    }

    private final LcmOpOccRepository ops;
    private final VnfInstanceRepository instances;
    private final OperationSteps steps;
    private final OperationJournal journal;
    private final VnfmConfig config;
    private final Clock clock;

    public OperationStepper(LcmOpOccRepository ops, VnfInstanceRepository instances, OperationSteps steps,
            OperationJournal journal, VnfmConfig config, Clock clock) {
        this.ops = ops;
        this.instances = instances;
        this.steps = steps;
        this.journal = journal;
        this.config = config;
        this.clock = clock;
    }

    public Progress advance(String opId) {
        OperationContext ctx = QuarkusTransaction.requiringNew().call(() -> {
            LcmOpOccEntity op = ops.findById(opId);
            if (op == null || !op.isRunnable(clock.instant())) {
                return null;
            }
            return OperationContext.of(op, instances.findById(op.vnfInstanceId()));
        });
        if (ctx == null) {
            return Progress.IDLE;
        }
        StepOutcome outcome = steps.run(ctx);
        return QuarkusTransaction.requiringNew().call(() -> journal(ctx, outcome));
    }

    private Progress journal(OperationContext ctx, StepOutcome outcome) {
        LcmOpOccEntity op = ops.findById(ctx.opId());
        if (op == null || op.version() != ctx.version() || op.step() != ctx.step()) {
            LOG.infof("op %s changed while its step %s ran; outcome dropped", ctx.opId(), ctx.step());
            return Progress.IDLE;
        }
        Instant now = clock.instant();
        switch (outcome) {
            case StepOutcome.Done done -> {
                if (done.grantId() != null) {
                    op.granted(done.grantId());
                }
                OperationStep next = op.operation().stepAfter(op.step());
                op.stepDone(next, done.work(), now);
                if (op.state() == LcmOperationState.STARTING) {
                    journal.transition(op, LcmOperationState.PROCESSING, done.reason(), null);
                } else {
                    LOG.debugf("op %s step %s done: %s", op.id(), ctx.step(), done.reason());
                }
                if (next == OperationStep.DONE) {
                    complete(op);
                }
                return Progress.STEPPED;
            }
            case StepOutcome.Transient failure -> {
                int attempts = op.stepFailed(backoff(op.attempts() + 1), failure.problem().detail(), now);
                if (attempts >= config.worker().maxAttempts()) {
                    fail(op, failure.problem(), "gave up after " + attempts + " attempts");
                } else {
                    LOG.infof("op %s step %s attempt %d failed, retrying: %s", op.id(), ctx.step(), attempts,
                            failure.problem().detail());
                }
                return Progress.IDLE;
            }
            case StepOutcome.Failed failure -> {
                fail(op, failure.problem(), failure.problem().detail());
                return Progress.IDLE;
            }
        }
    }

    private void complete(LcmOpOccEntity op) {
        VnfInstanceEntity instance = instances.findById(op.vnfInstanceId());
        switch (op.operation()) {
            case INSTANTIATE -> instance.instantiated(String.valueOf(op.operationParams().get("flavourId")),
                    op.work().allocationId(), op.work().vnfcs(), op.work().configSecret());
            case TERMINATE -> instance.terminated();
        }
        journal.transition(op, LcmOperationState.COMPLETED, op.operation() + " completed", null);
    }

    private void fail(LcmOpOccEntity op, ProblemDetails problem, String reason) {
        // STARTING cannot move to FAILED_TEMP; nothing has been done yet then, so it fails for good
        LcmOperationState to = op.state() == LcmOperationState.STARTING
                ? LcmOperationState.FAILED
                : LcmOperationState.FAILED_TEMP;
        journal.transition(op, to, reason, problem);
    }

    /** initial × 2^(attempt-1), at most the configured maximum. */
    Duration backoff(int attempt) {
        Duration initial = config.worker().initialBackoff();
        Duration next = initial.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        return next.compareTo(config.worker().maxBackoff()) > 0 ? config.worker().maxBackoff() : next;
    }
}
