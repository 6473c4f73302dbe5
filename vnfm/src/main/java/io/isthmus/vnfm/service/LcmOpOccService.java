package io.isthmus.vnfm.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.integration.VimClient;
import io.isthmus.vnfm.lifecycle.OperationJournal;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;

/** Reading operation occurrences, and the SOL003 tasks on one that is FAILED_TEMP: retry and fail. */
@ApplicationScoped
public class LcmOpOccService {

    private final LcmOpOccRepository ops;
    private final OperationJournal journal;
    private final VimClient vim;
    private final Caller caller;
    private final VnfInstanceRepository instances;
    private final VnfInstanceService instanceService;

    public LcmOpOccService(LcmOpOccRepository ops, OperationJournal journal, VimClient vim, Caller caller,
            VnfInstanceRepository instances, VnfInstanceService instanceService) {
        this.instances = instances;
        this.instanceService = instanceService;
        this.ops = ops;
        this.journal = journal;
        this.vim = vim;
        this.caller = caller;
    }

    @Transactional
    public SolPage<LcmOpOccEntity> list(SolQuery query) {
        return ops.pageScoped(query, caller.tenantScope());
    }

    @Transactional
    public LcmOpOccEntity get(String id) {
        return ops.findScoped(id, caller.tenantScope()).orElseThrow(() -> new LcmOpOccNotFoundException(id));
    }

    /** FAILED_TEMP → PROCESSING: the failed step runs again, with a fresh set of attempts. */
    @Transactional
    public LcmOpOccEntity retry(String id) {
        LcmOpOccEntity op = failedTemp(id, "retry");
        if (op.phase() == OperationPhase.ROLLBACK) {
            throw new OperationStateConflictException(id, op.state().name(),
                    "retry (its rollback failed: roll it back again, or fail it)");
        }
        journal.transition(op, LcmOperationState.PROCESSING, "retried by " + caller.subject(), null);
        return op;
    }

    /**
     * FAILED_TEMP → ROLLING_BACK: the operation's rollback steps undo what it did (an instantiation releases its
     * resources, a scale goes back to the VNFCs before it, a modification puts the information back), then
     * ROLLED_BACK. Operations with no rollback (heal, operate, terminate) → 409.
     */
    @Transactional
    public LcmOpOccEntity rollback(String id) {
        LcmOpOccEntity op = failedTemp(id, "rollback");
        if (!op.operation().canRollBack()) {
            throw new OperationStateConflictException(id, op.state().name(),
                    "rollback (" + op.operation() + " cannot be rolled back: retry or fail it)");
        }
        journal.transition(op, LcmOperationState.ROLLING_BACK, "rolled back by " + caller.subject(), op.error());
        return op;
    }

    /**
     * SOL003 clause 5.4.17: STARTING → ROLLED_BACK at once (nothing was done); PROCESSING or ROLLING_BACK → the
     * operation stops at its next step boundary and goes FAILED_TEMP ({@code isCancelPending} until then).
     */
    @Transactional
    public LcmOpOccEntity cancel(String id, String mode) {
        get(id);
        if (mode == null || !java.util.Set.of("GRACEFUL", "FORCEFUL").contains(mode)) {
            throw new io.isthmus.sol.problem.InvalidRequestException("cancelMode is required: GRACEFUL or FORCEFUL");
        }
        LcmOpOccEntity op = get(id);
        instances.findByIdOptional(op.vnfInstanceId()).ifPresent(instanceService::changeable);
        switch (op.state()) {
            case STARTING -> journal.transition(op, LcmOperationState.ROLLED_BACK,
                    "cancelled (" + mode + ") by " + caller.subject() + " before it started", null);
            case PROCESSING, ROLLING_BACK -> {
                if (op.cancelPending()) {
                    throw new OperationStateConflictException(id, op.state().name(), "cancel (already pending)");
                }
                op.cancel(mode);
            }
            default -> throw new OperationStateConflictException(id, op.state().name(), "cancel");
        }
        return op;
    }

    /**
     * FAILED_TEMP → FAILED, for good. An instantiation that got resources releases them first, so that the instance,
     * still NOT_INSTANTIATED, can be deleted without leaving processes behind.
     */
    @Transactional
    public LcmOpOccEntity fail(String id) {
        LcmOpOccEntity op = failedTemp(id, "fail");
        if (op.operation() == LcmOperationType.INSTANTIATE && op.work().allocationId() != null) {
            try {
                vim.release(op.work().allocationId());
            } catch (RemoteCallException e) {
                throw new PeerUnavailableException("The vim could not release " + op.work().allocationId() + ": "
                        + e.getMessage());
            }
        }
        journal.transition(op, LcmOperationState.FAILED, "failed by " + caller.subject(), op.error());
        return op;
    }

    private LcmOpOccEntity failedTemp(String id, String task) {
        LcmOpOccEntity op = get(id);
        instances.findByIdOptional(op.vnfInstanceId()).ifPresent(instanceService::changeable);
        if (op.state() != LcmOperationState.FAILED_TEMP) {
            throw new OperationStateConflictException(id, op.state().name(), task);
        }
        return op;
    }
}
