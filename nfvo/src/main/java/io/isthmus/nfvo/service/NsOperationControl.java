package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.lifecycle.NsOperationJournal;
import io.isthmus.nfvo.lifecycle.NsWorkAvailable;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.nfvo.persistence.NsOperationStep;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.VnfLeftoverRepository;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.CancelMode;
import io.isthmus.sol.problem.InvalidRequestException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * SOL005 clauses 6.4.11 to 6.4.16: what a client does to an NS operation occurrence — retry, continue, roll back or
 * fail one that stopped in FAILED_TEMP, cancel one that is PROCESSING. Each first does what it needs on the VNFM (no
 * transaction: a VNFM that cannot be reached is a 503 and nothing changed here), then changes the operation through
 * the journal, checking its state again.
 */
@ApplicationScoped
public class NsOperationControl {

    private static final Logger LOG = Logger.getLogger(NsOperationControl.class);
    private static final Set<NsOperationType> CONTINUABLE = Set.of(NsOperationType.SCALE, NsOperationType.HEAL,
            NsOperationType.UPDATE);

    private final NsLcmOpOccRepository ops;
    private final NsInstanceRepository instances;
    private final NsVnfRepository vnfs;
    private final VnfLeftoverRepository leftovers;
    private final NsOperationJournal journal;
    private final VnfmClient vnfm;
    private final Clock clock;
    private final Event<NsWorkAvailable> work;

    public NsOperationControl(NsLcmOpOccRepository ops, NsInstanceRepository instances, NsVnfRepository vnfs,
            VnfLeftoverRepository leftovers, NsOperationJournal journal, VnfmClient vnfm, Clock clock,
            Event<NsWorkAvailable> work) {
        this.ops = ops;
        this.instances = instances;
        this.vnfs = vnfs;
        this.leftovers = leftovers;
        this.journal = journal;
        this.vnfm = vnfm;
        this.clock = clock;
        this.work = work;
    }

    /**
     * SOL005 clause 6.4.13: give up an operation that stopped in FAILED_TEMP. The VNF operations it stopped on are
     * given up on the VNFM first (else they would block the VNFs for good); a given-up instantiation hands the VNFs it
     * created to the leftover reaper, so the NS is back to NOT_INSTANTIATED with no VNF, to instantiate again or delete.
     */
    public NsLcmOpOccEntity fail(String opId, Optional<String> tenantScope) {
        return giveUp(opId, tenantScope, NsLcmOperationState.FAILED);
    }

    /**
     * SOL005 clause 6.4.15: roll back an instantiation that stopped in FAILED_TEMP. As {@link #fail}, and the operation
     * stays ROLLING_BACK until the VNFs it created are gone from the VNFM ({@code VnfLeftoverReaper}), then
     * ROLLED_BACK. Other operations are not rolled back (409): retry, continue or fail them.
     */
    public NsLcmOpOccEntity rollback(String opId, Optional<String> tenantScope) {
        return giveUp(opId, tenantScope, NsLcmOperationState.ROLLING_BACK);
    }

    /**
     * SOL005 clause 6.4.11: run again the step the operation stopped at. The VNF operations that stopped in FAILED_TEMP
     * (or may have, a cancel) are retried on the VNFM, and awaited again.
     */
    public NsLcmOpOccEntity retry(String opId, Optional<String> tenantScope) {
        // a VNF operation not known to have COMPLETED may have stopped in FAILED_TEMP since (a cancel): the VNFM
        // retries those that did, and refuses (409) the others
        List<String> unfinished = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = failedTemp(opId, tenantScope, "retry");
            return vnfs.ofNs(op.nsInstanceId).stream()
                    .filter(v -> v.vnfOpId() != null && !NsVnfEntity.NO_OPERATION.equals(v.vnfOpId())
                            && (v.vnfOpState() == null || !v.vnfOpState().isFinal()))
                    .map(NsVnfEntity::vnfOpId).toList();
        });
        unfinished.forEach(vnfm::retry);
        return QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = failedTemp(opId, tenantScope, "retry");
            for (NsVnfEntity v : vnfs.ofNs(op.nsInstanceId)) {
                if (unfinished.contains(v.vnfOpId())) {
                    v.operationIs(LcmOperationState.PROCESSING, null, clock.instant());
                }
            }
            journal.transition(op, NsLcmOperationState.PROCESSING, "retried on request at step " + op.step(), null);
            return op;
        });
    }

    /**
     * SOL005 clause 6.4.12: go on past the VNFs whose operations failed (given up on the VNFM) — or, stopped before
     * sending one its request, past that VNF — and end PARTIALLY_COMPLETED. Scale, heal and update only: an
     * instantiation or a termination that leaves a VNF out is no NS (409).
     */
    public NsLcmOpOccEntity continueOp(String opId, Optional<String> tenantScope) {
        List<String> failedVnfOps = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = continuable(opId, tenantScope);
            return failedVnfOps(op);
        });
        failedVnfOps.forEach(vnfm::fail);
        return QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = continuable(opId, tenantScope);
            List<NsVnfEntity> members = vnfs.ofNs(op.nsInstanceId);
            members.stream().filter(v -> failedVnfOps.contains(v.vnfOpId())).forEach(NsVnfEntity::skipped);
            if (op.step() == NsOperationStep.VNF_TASKS) {
                // the VNF whose request failed is the first one still to send
                members.stream().filter(v -> v.taskKind() != null && v.vnfOpId() == null).findFirst()
                        .ifPresent(NsVnfEntity::skipped);
            }
            op.continuedPastFailures();
            journal.transition(op, NsLcmOperationState.PROCESSING,
                    "continued on request past the VNF operations that failed", null);
            return op;
        });
    }

    /**
     * SOL005 clause 6.4.16: a PROCESSING operation stops at its next step boundary, FAILED_TEMP; the VNF operations it
     * waits for are cancelled on the VNFM with the same mode. A VNFM that cannot be reached does not keep the NS
     * operation from stopping: its VNF operations then run on, and a retry awaits them again.
     */
    public void cancel(String opId, Optional<String> tenantScope, CancelMode request) {
        String mode = request == null ? null : request.cancelMode();
        List<String> running = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = op(opId, tenantScope); // another tenant's: 404 whatever the body
            if (mode == null) {
                throw new InvalidRequestException("cancelMode is required (GRACEFUL or FORCEFUL)");
            }
            if (!mode.equals("GRACEFUL") && !mode.equals("FORCEFUL")) {
                throw new InvalidRequestException(
                        "Invalid value at cancelMode: " + mode + " is not GRACEFUL or FORCEFUL");
            }
            if (op.state != NsLcmOperationState.PROCESSING) {
                throw new NsOperationStateConflictException(opId, op.state, "cancel",
                        NsLcmOperationState.PROCESSING.name());
            }
            if (op.isCancelPending() || !ops.requestCancel(op.id, mode)) {
                throw new NsOperationStateConflictException(opId, op.state, "cancel again",
                        "without a cancel pending");
            }
            work.fire(new NsWorkAvailable());
            return vnfs.ofNs(op.nsInstanceId).stream()
                    .filter(v -> v.vnfOpId() != null && !NsVnfEntity.NO_OPERATION.equals(v.vnfOpId())
                            && (v.vnfOpState() == null || !v.vnfOpState().isFinal())
                            && v.vnfOpState() != LcmOperationState.FAILED_TEMP)
                    .map(NsVnfEntity::vnfOpId).toList();
        });
        for (String vnfOp : running) {
            try {
                vnfm.cancel(vnfOp, mode);
            } catch (RemoteCallException e) {
                LOG.warnf("NS operation %s cancelled, but its VNF operation %s could not be: %s", opId, vnfOp,
                        e.getMessage());
            }
        }
    }

    /** Fail ({@code to} FAILED) or roll back ({@code to} ROLLING_BACK) an operation that is FAILED_TEMP. */
    private NsLcmOpOccEntity giveUp(String opId, Optional<String> tenantScope, NsLcmOperationState to) {
        String task = to == NsLcmOperationState.FAILED ? "fail" : "roll back";
        List<String> failedVnfOps = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = failedTemp(opId, tenantScope, task);
            requireRollbackable(op, to, task);
            return failedVnfOps(op);
        });
        failedVnfOps.forEach(vnfm::fail); // a VNFM that cannot be reached: 503, and nothing changed here
        return QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = failedTemp(opId, tenantScope, task);
            requireRollbackable(op, to, task);
            if (op.type() == NsOperationType.INSTANTIATE) {
                NsInstanceEntity ns = instances.findById(op.nsInstanceId);
                leftovers.handOver(vnfs.ofNs(ns.id), ns.tenant, clock.instant());
                work.fire(new NsWorkAvailable());
            }
            journal.transition(op, to,
                    to == NsLcmOperationState.FAILED ? "failed on request" : "rolling back on request",
                    null);
            return op;
        });
    }

    private static void requireRollbackable(NsLcmOpOccEntity op, NsLcmOperationState to, String task) {
        if (to == NsLcmOperationState.ROLLING_BACK && op.type() != NsOperationType.INSTANTIATE) {
            throw new NsOperationStateConflictException(op.id, op.state, task,
                    "an instantiation (a " + op.operation + " is not rolled back: retry, continue or fail it)");
        }
    }

    private NsLcmOpOccEntity continuable(String opId, Optional<String> tenantScope) {
        NsLcmOpOccEntity op = failedTemp(opId, tenantScope, "continue");
        if (!CONTINUABLE.contains(op.type())) {
            throw new NsOperationStateConflictException(opId, op.state, "continue",
                    "a scale, heal or update (an " + op.operation
                            + " that leaves a VNF out is no NS: retry or fail it)");
        }
        return op;
    }

    /** The VNF operations of the operation's NS that stopped in FAILED_TEMP. */
    private List<String> failedVnfOps(NsLcmOpOccEntity op) {
        return vnfs.ofNs(op.nsInstanceId).stream()
                .filter(v -> v.vnfOpId() != null && v.vnfOpState() == LcmOperationState.FAILED_TEMP)
                .map(NsVnfEntity::vnfOpId).toList();
    }

    /** The operation, if FAILED_TEMP. */
    private NsLcmOpOccEntity failedTemp(String opId, Optional<String> tenantScope, String task) {
        NsLcmOpOccEntity op = op(opId, tenantScope);
        if (op.state != NsLcmOperationState.FAILED_TEMP) {
            throw new NsOperationStateConflictException(opId, op.state, task, NsLcmOperationState.FAILED_TEMP.name());
        }
        return op;
    }

    private NsLcmOpOccEntity op(String id, Optional<String> tenantScope) {
        return ops.findScoped(id, tenantScope).orElseThrow(() -> new NsLcmOpOccNotFoundException(id));
    }
}
