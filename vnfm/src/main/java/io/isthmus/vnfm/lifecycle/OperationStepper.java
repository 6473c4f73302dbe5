package io.isthmus.vnfm.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.OperationStep;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Advances one operation by one step: journals that this vnfm begins the step and holds its lease (transaction 1),
 * runs the step's calls (no transaction), journals the outcome (transaction 2). An outcome is dropped unless the step is
 * still in flight under this vnfm's lease, so two workers, or a worker and a client, never both apply a step. A step
 * found in flight under a lease that ran out belonged to a vnfm that died mid-step: its effect is unknown, so the
 * operation goes FAILED_TEMP saying so, and retry (the step again) or rollback (undo) is the client's choice.
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

    /** This process, as the owner of the leases it takes. */
    private final String owner = "vnfm-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    private final LcmOpOccRepository ops;
    private final VnfInstanceRepository instances;
    private final OperationSteps steps;
    private final OperationJournal journal;
    private final VnfmConfig config;
    private final Clock clock;
    private final SnapshotRecords snapshots;

    public OperationStepper(LcmOpOccRepository ops, VnfInstanceRepository instances, OperationSteps steps,
            OperationJournal journal, VnfmConfig config, Clock clock, SnapshotRecords snapshots) {
        this.snapshots = snapshots;
        this.ops = ops;
        this.instances = instances;
        this.steps = steps;
        this.journal = journal;
        this.config = config;
        this.clock = clock;
    }

    /** The lease owner name of this vnfm. */
    public String owner() {
        return owner;
    }

    public Progress advance(String opId) {
        OperationContext ctx = QuarkusTransaction.requiringNew().call(() -> begin(opId));
        if (ctx == null) {
            return Progress.IDLE;
        }
        StepOutcome outcome = steps.run(ctx);
        try {
            return QuarkusTransaction.requiringNew().call(() -> journal(ctx, outcome));
        } catch (RuntimeException e) {
            // the outcome could not be journaled (a concurrent change of the instance, the database): the step is no
            // longer in flight but failed once, and runs again after its back-off (every step is idempotent), instead
            // of staying in flight under a lease this vnfm keeps renewing
            LOG.warnf("op %s: the outcome of step %s could not be journaled, the step runs again: %s", ctx.opId(),
                    ctx.step(), e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> {
                LcmOpOccEntity op = ops.findById(ctx.opId());
                if (op != null && op.stepInFlight() == ctx.step() && owner.equals(op.leaseOwner())) {
                    op.stepFailed(backoff(op.attempts() + 1), "step " + ctx.step() + " could not be journaled",
                            clock.instant());
                }
            });
            return Progress.IDLE;
        }
    }

    private OperationContext begin(String opId) {
        LcmOpOccEntity op = ops.findById(opId);
        if (op == null) {
            return null;
        }
        Instant now = clock.instant();
        if (op.interrupted(now) && !op.state().isFinal() && op.state() != LcmOperationState.FAILED_TEMP) {
            interrupted(op, now);
            return null;
        }
        if (!op.isRunnable(now)) {
            return null;
        }
        if (op.cancelPending()) {
            cancelled(op);
            return null;
        }
        op.begin(owner, now.plus(config.worker().lease()));
        return OperationContext.of(op, instances.findById(op.vnfInstanceId()));
    }

    private void interrupted(LcmOpOccEntity op, Instant now) {
        OperationStep step = op.stepInFlight();
        if (op.state() == LcmOperationState.STARTING) {
            // START does nothing outside: run it again
            op.waitFor(Duration.ZERO, "START interrupted; starting again", now);
            return;
        }
        String reason = "step " + step + " was interrupted: the vnfm running it (" + op.leaseOwner()
                + ") stopped before it finished; retry runs " + step + " again"
                + (op.operation().canRollBack() && op.phase() == OperationPhase.FORWARD
                        ? ", rollback undoes what the operation did"
                        : "");
        LOG.warnf("op %s %s: %s", op.id(), op.operation(), reason);
        journal.transition(op, LcmOperationState.FAILED_TEMP, reason,
                ProblemDetails.of(503, "Service Unavailable", reason));
    }

    private void cancelled(LcmOpOccEntity op) {
        String reason = "cancelled (" + (op.cancelMode() == null ? "GRACEFUL" : op.cancelMode())
                + ") before step " + op.step();
        journal.transition(op, LcmOperationState.FAILED_TEMP, reason, ProblemDetails.of(409, "Conflict", reason));
    }

    private Progress journal(OperationContext ctx, StepOutcome outcome) {
        LcmOpOccEntity op = ops.findById(ctx.opId());
        if (op == null || op.stepInFlight() != ctx.step() || !owner.equals(op.leaseOwner())) {
            LOG.infof("op %s: step %s no longer held by this vnfm; outcome dropped", ctx.opId(), ctx.step());
            return Progress.IDLE;
        }
        Instant now = clock.instant();
        switch (outcome) {
            case StepOutcome.Done done -> {
                if (done.grantId() != null) {
                    op.granted(done.grantId());
                }
                OperationStep next = op.operation().stepAfter(op.step(), op.phase());
                VnfInstanceEntity instance = instances.findById(op.vnfInstanceId());
                op.stepDone(next, apply(op, instance, ctx.step(), done.work()), now);
                if (op.state() == LcmOperationState.STARTING) {
                    journal.transition(op, LcmOperationState.PROCESSING, done.reason(), null);
                } else {
                    LOG.infof("op %s step %s done: %s", op.id(), ctx.step(), done.reason());
                }
                if (next == OperationStep.DONE) {
                    complete(op, instance);
                } else if (op.cancelPending()) {
                    cancelled(op);
                    return Progress.IDLE;
                }
                return Progress.STEPPED;
            }
            case StepOutcome.Again again -> {
                VnfInstanceEntity instance = instances.findById(op.vnfInstanceId());
                op.stepDone(op.step(), apply(op, instance, ctx.step(), again.work()), now);
                LOG.infof("op %s step %s: %s", op.id(), ctx.step(), again.reason());
                if (op.cancelPending()) {
                    cancelled(op);
                    return Progress.IDLE;
                }
                return Progress.STEPPED;
            }
            case StepOutcome.Wait wait -> {
                op.stepDone(op.step(), wait.work(), now);
                op.waitFor(wait.pause(), wait.reason(), now);
                return Progress.IDLE;
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
                op.stepFailed(Duration.ZERO, failure.problem().detail(), now);
                fail(op, failure.problem(), failure.problem().detail());
                return Progress.IDLE;
            }
        }
    }

    /** What a step changes on the instance at once, so that the API shows it while the operation runs. */
    private OperationWork apply(LcmOpOccEntity op, VnfInstanceEntity instance, OperationStep step,
            OperationWork work) {
        switch (step) {
            case ROLL_VNFCS -> {
                instance.vnfcs(work.vnfcs());
                instance.ingress(work.ingress());
            }
            case TAKE_SNAPSHOT -> {
                return snapshots.taken(op, instance, work);
            }
            case REVERT_SNAPSHOT -> snapshots.reverted(op, instance);
            case ADD_VNFCS, REMOVE_VNFCS, HEAL_VNFCS, OPERATE_VNFCS, RESTORE_VNFCS -> {
                if (instance.isInstantiated()) {
                    instance.vnfcs(work.vnfcs());
                }
            }
            case UNPUBLISH, PUBLISH -> instance.ingress(work.ingress());
            case MODIFY -> {
                return modify(op, instance, work);
            }
            case UNMODIFY -> {
                OperationWork.Before before = work.before();
                if (before != null) {
                    instance.modify(before.name(), before.description(), before.metadata(), before.extensions());
                    instance.desire(before.configuration());
                }
            }
            default -> {
            }
        }
        return work;
    }

    /** PATCH (VnfInfoModificationRequest) and change_ext_conn: merge what is given, keep what was for UNMODIFY. */
    @SuppressWarnings("unchecked")
    private static OperationWork modify(LcmOpOccEntity op, VnfInstanceEntity instance, OperationWork work) {
        Map<String, Object> params = op.operationParams();
        OperationWork.Before before = new OperationWork.Before(instance.name(), instance.description(),
                instance.metadata(), instance.extensions(), instance.vnfConfiguration());
        if (op.operation() == LcmOperationType.CHANGE_EXT_CONN) {
            instance.desire(MergePatch.apply(instance.vnfConfiguration(),
                    (Map<String, Object>) params.get("additionalParams")));
            return work.withBefore(before);
        }
        instance.modify(
                params.containsKey("vnfInstanceName") ? (String) params.get("vnfInstanceName") : instance.name(),
                params.containsKey("vnfInstanceDescription")
                        ? (String) params.get("vnfInstanceDescription")
                        : instance.description(),
                MergePatch.apply(instance.metadata(), (Map<String, Object>) params.get("metadata")),
                MergePatch.apply(instance.extensions(), (Map<String, Object>) params.get("extensions")));
        if (params.get("vnfConfigurableProperties") instanceof Map<?, ?> props) {
            instance.desire(MergePatch.apply(instance.vnfConfiguration(), (Map<String, Object>) props));
        }
        return work.withBefore(before);
    }

    private void complete(LcmOpOccEntity op, VnfInstanceEntity instance) {
        OperationWork work = op.work();
        if (op.phase() == OperationPhase.ROLLBACK) {
            switch (op.operation()) {
                case INSTANTIATE -> {
                    instance.desire(null);
                    instance.ingress(null);
                }
                case SCALE, SCALE_TO_LEVEL, CHANGE_FLAVOUR -> instance.scaled(work.plan().levelsBefore());
                default -> {
                }
            }
            journal.transition(op, LcmOperationState.ROLLED_BACK, op.operation() + " rolled back", null);
            return;
        }
        switch (op.operation()) {
            case INSTANTIATE -> instance.instantiated(flavourOf(op, instance), work.allocationId(), work.vnfcs(),
                    work.configSecret(), work.plan() == null ? null : work.plan().levelsAfter(),
                    work.maxScaleLevels(), work.extCps());
            case SCALE, SCALE_TO_LEVEL, CHANGE_FLAVOUR -> instance.scaled(work.plan().levelsAfter());
            case OPERATE -> instance.vnfState(String.valueOf(op.operationParams().get("changeStateTo")));
            case TERMINATE -> instance.terminated();
            case CHANGE_VNFPKG -> PackageChange.complete(op, instance, work);
            default -> {
            }
        }
        journal.transition(op, LcmOperationState.COMPLETED, op.operation() + " completed", null);
    }

    private static String flavourOf(LcmOpOccEntity op, VnfInstanceEntity instance) {
        Object flavour = op.operationParams().get("flavourId");
        return flavour == null ? instance.flavourId() : String.valueOf(flavour);
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

    /** JSON Merge Patch (RFC 7396) of maps: a null value removes the key, maps merge, anything else replaces. */
    public static final class MergePatch {
        private MergePatch() {
        }

        @SuppressWarnings("unchecked")
        public static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
            if (patch == null) {
                return target;
            }
            Map<String, Object> out = new LinkedHashMap<>(target == null ? Map.of() : target);
            for (Map.Entry<String, Object> e : patch.entrySet()) {
                if (e.getValue() == null) {
                    out.remove(e.getKey());
                } else if (e.getValue() instanceof Map<?, ?> m && out.get(e.getKey()) instanceof Map<?, ?> t) {
                    out.put(e.getKey(), apply((Map<String, Object>) t, (Map<String, Object>) m));
                } else {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
    }

}
