package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.service.Json;
import io.isthmus.nfvo.service.NotificationOutbox;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.lifecycle.LcmOperationState;

/**
 * One step of one NS operation per transaction. Instantiate: CREATE_VNFS → INSTANTIATE_VNFS → AWAIT_VNFS → done.
 * Terminate: TERMINATE_VNFS → AWAIT_VNFS → DELETE_VNFS → done. Each step records its progress per VNF, so a retried
 * step does not redo what it already did.
 */
@ApplicationScoped
public class NsOpStepper {

    private static final Logger LOG = Logger.getLogger(NsOpStepper.class);

    private final NsLcmOpOccRepository ops;
    private final NsInstanceRepository instances;
    private final NsVnfRepository vnfs;
    private final VnfmClient vnfm;
    private final NotificationOutbox notifications;
    private final Json json;
    private final NfvoConfig config;
    private final Clock clock;

    public NsOpStepper(NsLcmOpOccRepository ops, NsInstanceRepository instances, NsVnfRepository vnfs,
            VnfmClient vnfm, NotificationOutbox notifications, Json json, NfvoConfig config, Clock clock) {
        this.ops = ops;
        this.instances = instances;
        this.vnfs = vnfs;
        this.vnfm = vnfm;
        this.notifications = notifications;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** Advances the operation by at most one step; true when its step or state changed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean advance(String opId) {
        NsLcmOpOccEntity op = ops.findById(opId, LockModeType.PESSIMISTIC_WRITE);
        if (op == null || op.state.isFinal() || op.state == LcmOperationState.FAILED_TEMP) {
            return false;
        }
        String stepBefore = op.step;
        LcmOperationState stateBefore = op.state;
        NsInstanceEntity ns = instances.findById(op.nsInstanceId);
        List<NsVnfEntity> members = vnfs.ofNs(ns.id);
        try {
            switch (op.step) {
                case "CREATE_VNFS" -> {
                    for (NsVnfEntity v : members) {
                        if (v.vnfInstanceId == null) {
                            v.vnfInstanceId = vnfm.create(v.vnfdId, ns.name + "-" + v.vnfProfileId, ns.tenant, ns.id)
                                    .id();
                        }
                    }
                    next(op, "INSTANTIATE_VNFS");
                }
                case "INSTANTIATE_VNFS" -> {
                    for (NsVnfEntity v : members) {
                        if (v.vnfOpId == null) {
                            Map<String, Object> params = json.readMap(v.additionalParams);
                            v.vnfOpId = vnfm.instantiate(v.vnfInstanceId, params);
                            v.vnfOpState = LcmOperationState.STARTING.name();
                        }
                    }
                    next(op, "AWAIT_VNFS");
                }
                case "TERMINATE_VNFS" -> {
                    for (NsVnfEntity v : members) {
                        if (v.vnfInstanceId != null && v.vnfOpId == null) {
                            v.vnfOpId = vnfm.terminate(v.vnfInstanceId);
                            v.vnfOpState = LcmOperationState.STARTING.name();
                        }
                    }
                    next(op, "AWAIT_VNFS");
                }
                case "AWAIT_VNFS" -> awaitVnfs(op, ns, members);
                case "DELETE_VNFS" -> {
                    for (NsVnfEntity v : members) {
                        if (v.vnfInstanceId != null) {
                            vnfm.delete(v.vnfInstanceId);
                            v.vnfInstanceId = null;
                            v.vnfOpId = null;
                            v.vnfOpState = null;
                        }
                    }
                    finish(op, ns, NsLcmService.NOT_INSTANTIATED);
                }
                default -> throw new IllegalStateException("unknown step " + op.step);
            }
        } catch (RemoteCallException e) {
            if (e.transientFailure() && op.attempts < config.maxStepAttempts()) {
                op.attempts++;
                LOG.debugf("NS operation %s step %s: transient failure (%d): %s", op.id, op.step, op.attempts,
                        e.getMessage());
            } else {
                op.errorStatus = e.status() == 0 ? 503 : e.status();
                move(op, LcmOperationState.FAILED_TEMP, op.step + ": " + e.getMessage());
            }
        }
        return !op.step.equals(stepBefore) || op.state != stateBefore;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failTemp(String opId, String reason) {
        NsLcmOpOccEntity op = ops.findById(opId);
        if (op != null && op.state.canMoveTo(LcmOperationState.FAILED_TEMP)) {
            op.errorStatus = 500;
            move(op, LcmOperationState.FAILED_TEMP, reason);
        }
    }

    private void awaitVnfs(NsLcmOpOccEntity op, NsInstanceEntity ns, List<NsVnfEntity> members) {
        Instant now = clock.instant();
        boolean poll = op.lastPoll == null || op.lastPoll.plus(config.vnfPollInterval()).isBefore(now);
        if (poll) {
            op.lastPoll = now;
            for (NsVnfEntity v : members) {
                if (v.vnfOpId != null && !isFinal(v.vnfOpState)) {
                    v.vnfOpState = vnfm.op(v.vnfOpId).operationState();
                }
            }
        }
        for (NsVnfEntity v : members) {
            if ("FAILED_TEMP".equals(v.vnfOpState) || "FAILED".equals(v.vnfOpState)
                    || "ROLLED_BACK".equals(v.vnfOpState)) {
                op.errorStatus = 500;
                move(op, LcmOperationState.FAILED_TEMP, "VNF " + v.vnfProfileId + " (" + v.vnfInstanceId
                        + "): operation " + v.vnfOpId + " is " + v.vnfOpState);
                return;
            }
        }
        boolean allDone = members.stream().allMatch(v -> v.vnfOpId == null || "COMPLETED".equals(v.vnfOpState));
        if (!allDone) {
            return;
        }
        if ("TERMINATE".equals(op.operation)) {
            next(op, "DELETE_VNFS");
        } else {
            finish(op, ns, NsLcmService.INSTANTIATED);
        }
    }

    private static boolean isFinal(String state) {
        return state != null && LcmOperationState.valueOf(state).isFinal();
    }

    private void next(NsLcmOpOccEntity op, String step) {
        op.step = step;
        op.attempts = 0;
        op.lastPoll = null;
    }

    private void finish(NsLcmOpOccEntity op, NsInstanceEntity ns, String nsState) {
        ns.nsState = nsState;
        op.step = "DONE";
        move(op, LcmOperationState.COMPLETED, "done");
    }

    private void move(NsLcmOpOccEntity op, LcmOperationState next, String reason) {
        op.transition(next, reason, clock.instant());
        notifications.opChanged(op);
        LOG.infof("NS operation %s (%s of %s): %s — %s", op.id, op.operation, op.nsInstanceId, next, reason);
    }
}
