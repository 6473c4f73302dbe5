package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.lifecycle.NsStepOutcome.VnfChange;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsOperationStep;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.sol.problem.ProblemDetails;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Advances one NS operation by one step: reads it (transaction 1), runs the step's calls to the VNFM (no transaction,
 * no lock), journals the outcome (transaction 2). The journal entry is refused if the operation changed meanwhile (its
 * version), so two workers, or a worker and a client, never both apply a step.
 */
@ApplicationScoped
public class NsOperationStepper {

    private static final Logger LOG = Logger.getLogger(NsOperationStepper.class);
    /** The steps that need the NS's chains: wiring, and awaiting VNFs whose neighbours follow their ingress. */
    private static final Set<NsOperationStep> WITH_WIRES = Set.of(NsOperationStep.WIRE_VNFS,
            NsOperationStep.AWAIT_VNFS, NsOperationStep.AWAIT_WIRING);

    /** What one call achieved. */
    public enum Progress {
        /** A step was journaled; the operation may have more to run at once. */
        STEPPED,
        /** Nothing to run now: closed, FAILED_TEMP, waiting for its VNFs, or changed by someone else. */
        IDLE
    }

    private final NsLcmOpOccRepository ops;
    private final NsInstanceRepository instances;
    private final NsVnfRepository vnfs;
    private final NsOperationSteps steps;
    private final NsOperationJournal journal;
    private final NfvoConfig config;
    private final Clock clock;
    private final NsLcmService nsLcm;

    public NsOperationStepper(NsLcmOpOccRepository ops, NsInstanceRepository instances, NsVnfRepository vnfs,
            NsOperationSteps steps, NsOperationJournal journal, NfvoConfig config, Clock clock, NsLcmService nsLcm) {
        this.nsLcm = nsLcm;
        this.ops = ops;
        this.instances = instances;
        this.vnfs = vnfs;
        this.steps = steps;
        this.journal = journal;
        this.config = config;
        this.clock = clock;
    }

    public Progress advance(String opId) {
        NsOperationContext ctx = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = ops.findById(opId);
            if (op == null || !op.isRunnable()) {
                return null;
            }
            if (op.isCancelPending()) {
                cancelled(op);
                return null;
            }
            if (op.notBefore() != null && clock.instant().isBefore(op.notBefore())) {
                return null; // scheduled (scaleTime, updateTime, terminationTime): the timer's passes bring it there
            }
            NsInstanceEntity ns = instances.findById(op.nsInstanceId);
            return NsOperationContext.of(op, ns, vnfs.ofNs(op.nsInstanceId),
                    WITH_WIRES.contains(op.step()) ? nsLcm.wiresOf(ns) : List.of(), clock.instant());
        });
        if (ctx == null) {
            return Progress.IDLE;
        }
        NsStepOutcome outcome = steps.run(ctx);
        return QuarkusTransaction.requiringNew().call(() -> journal(ctx, outcome));
    }

    private Progress journal(NsOperationContext ctx, NsStepOutcome outcome) {
        NsLcmOpOccEntity op = ops.findById(ctx.opId());
        if (op == null || op.version() != ctx.version() || op.step() != ctx.step()) {
            LOG.infof("NS operation %s changed while its step %s ran; outcome dropped", ctx.opId(), ctx.step());
            return Progress.IDLE;
        }
        Map<String, NsVnfEntity> members = vnfs.ofNs(op.nsInstanceId).stream()
                .collect(Collectors.toMap(v -> v.id, Function.identity()));
        Progress progress = journal(op, ctx, outcome, members);
        if (op.isCancelPending() && op.state == NsLcmOperationState.PROCESSING) {
            cancelled(op); // the step boundary a cancel waits for
            return Progress.IDLE;
        }
        return progress;
    }

    /** SOL005 cancel: the operation stops where it is, FAILED_TEMP, to be retried, continued, rolled back or failed. */
    private void cancelled(NsLcmOpOccEntity op) {
        String reason = "cancelled on request (" + op.cancelMode() + ") before step " + op.step();
        journal.transition(op, NsLcmOperationState.FAILED_TEMP, reason,
                ProblemDetails.of(409, "Operation cancelled", reason));
    }

    private Progress journal(NsLcmOpOccEntity op, NsOperationContext ctx, NsStepOutcome outcome,
            Map<String, NsVnfEntity> members) {
        switch (outcome) {
            case NsStepOutcome.Progress progress -> {
                apply(members, progress.changes(), ctx.readAt());
                // a journal entry that changed only a VNF still makes the operation a new version
                ops.getEntityManager().lock(op, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
                LOG.debugf("NS operation %s step %s: %s", op.id, ctx.step(), progress.reason());
                return Progress.STEPPED;
            }
            case NsStepOutcome.Done done -> {
                apply(members, done.changes(), ctx.readAt());
                NsOperationStep next = op.type().stepAfter(ctx.step());
                op.stepDone(next);
                LOG.debugf("NS operation %s step %s done: %s", op.id, ctx.step(), done.reason());
                if (next == NsOperationStep.DONE) {
                    NsInstanceEntity ns = instances.findById(op.nsInstanceId);
                    ns.completed(op.type());
                    if (op.isPartial()) {
                        journal.transition(op, NsLcmOperationState.PARTIALLY_COMPLETED,
                                op.operation + " completed, without the VNF operations it was continued past", null);
                    } else {
                        journal.transition(op, NsLcmOperationState.COMPLETED, op.operation + " completed", null);
                    }
                }
                return Progress.STEPPED;
            }
            case NsStepOutcome.Waiting waiting -> {
                apply(members, waiting.changes(), ctx.readAt());
                if (waiting.polled()) {
                    op.polled(ctx.readAt());
                }
                return Progress.IDLE;
            }
            case NsStepOutcome.Transient failure -> {
                int attempts = op.stepFailed(failure.problem().detail());
                if (attempts >= config.maxStepAttempts()) {
                    journal.transition(op, NsLcmOperationState.FAILED_TEMP,
                            "gave up after " + attempts + " attempts", failure.problem());
                } else {
                    LOG.infof("NS operation %s step %s attempt %d failed, retrying: %s", op.id, ctx.step(), attempts,
                            failure.problem().detail());
                }
                return Progress.IDLE;
            }
            case NsStepOutcome.Failed failure -> {
                apply(members, failure.changes(), ctx.readAt());
                journal.transition(op, NsLcmOperationState.FAILED_TEMP, failure.problem().detail(), failure.problem());
                return Progress.IDLE;
            }
        }
    }

    /** Applies what the step found; {@code readAt} is before any call the step made, so never newer than its reads. */
    private void apply(Map<String, NsVnfEntity> members, List<VnfChange> changes, Instant readAt) {
        for (VnfChange change : changes) {
            NsVnfEntity v = members.get(change.nsVnfId());
            switch (change) {
                case VnfChange.Created c -> v.created(c.vnfInstanceId(), c.snapshot(), readAt);
                case VnfChange.OperationStarted s -> v.operationStarted(s.vnfOpId());
                case VnfChange.OperationIs s -> v.operationIs(s.state(), s.snapshot(), readAt);
                case VnfChange.Deleted d -> v.deleted();
                case VnfChange.NothingToDo n -> v.operationNotNeeded(n.snapshot(), readAt);
                case VnfChange.Dropped d -> vnfs.delete(v);
            }
        }
    }
}
