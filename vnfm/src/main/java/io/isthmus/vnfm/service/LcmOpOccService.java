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
        journal.transition(op, LcmOperationState.PROCESSING, "retried by " + caller.subject(), null);
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
