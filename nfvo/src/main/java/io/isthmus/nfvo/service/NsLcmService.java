package io.isthmus.nfvo.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.NsdEntity;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.CreateNsRequest;
import io.isthmus.sol.model.InstantiateNsRequest;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.ConflictException;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;

/**
 * NS lifecycle use cases (SOL005 clause 6): create, instantiate, terminate, delete. Each LCM request only records an
 * operation occurrence (STARTING); {@code NsLcmEngine} drives it.
 */
@ApplicationScoped
public class NsLcmService {

    public static final String NOT_INSTANTIATED = "NOT_INSTANTIATED";
    public static final String INSTANTIATED = "INSTANTIATED";

    private final NsInstanceRepository instances;
    private final NsVnfRepository vnfs;
    private final NsLcmOpOccRepository ops;
    private final NsdRepository nsds;
    private final NotificationOutbox notifications;
    private final Json json;
    private final Clock clock;
    private final Event<NsOperationsChanged> changed;

    public NsLcmService(NsInstanceRepository instances, NsVnfRepository vnfs, NsLcmOpOccRepository ops,
            NsdRepository nsds, NotificationOutbox notifications, Json json, Clock clock,
            Event<NsOperationsChanged> changed) {
        this.changed = changed;
        this.instances = instances;
        this.vnfs = vnfs;
        this.ops = ops;
        this.nsds = nsds;
        this.notifications = notifications;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public NsInstanceEntity create(String tenant, CreateNsRequest request) {
        if (request == null || request.nsdId() == null || request.nsName() == null) {
            throw new InvalidRequestException("nsdId and nsName are required");
        }
        NsdEntity nsd = nsds.onboardedByNsdId(request.nsdId(), tenant).orElseThrow(
                () -> new UnprocessableContentException("No on-boarded NSD with nsdId " + request.nsdId()));
        NsInstanceEntity ns = new NsInstanceEntity();
        ns.id = UUID.randomUUID().toString();
        ns.tenant = tenant;
        ns.name = request.nsName();
        ns.description = request.nsDescription() == null ? "" : request.nsDescription();
        ns.nsdId = nsd.nsdId;
        ns.nsdInfoId = nsd.id;
        ns.nsState = NOT_INSTANTIATED;
        ns.createdAt = clock.instant();
        instances.persist(ns);
        for (Map.Entry<String, String> profile : NsdService.profiles(nsd).entrySet()) {
            NsVnfEntity v = new NsVnfEntity();
            v.id = UUID.randomUUID().toString();
            v.nsInstanceId = ns.id;
            v.vnfProfileId = profile.getKey();
            v.vnfdId = profile.getValue();
            vnfs.persist(v);
        }
        nsd.usageState = "IN_USE";
        return ns;
    }

    public NsInstanceEntity get(String id, Optional<String> tenantScope) {
        return instances.findScoped(id, tenantScope).orElseThrow(() -> new NsInstanceNotFoundException(id));
    }

    public List<NsInstanceEntity> list(Optional<String> tenantScope) {
        return instances.listScoped(tenantScope);
    }

    public List<NsVnfEntity> vnfsOf(String nsInstanceId) {
        return vnfs.ofNs(nsInstanceId);
    }

    public NsLcmOpOccEntity op(String id, Optional<String> tenantScope) {
        return ops.findScoped(id, tenantScope).orElseThrow(() -> new NsLcmOpOccNotFoundException(id));
    }

    public List<NsLcmOpOccEntity> ops(Optional<String> tenantScope) {
        return ops.listScoped(tenantScope);
    }

    public Optional<NsLcmOpOccEntity> currentOp(String nsInstanceId) {
        return ops.latestOf(nsInstanceId);
    }

    @Transactional
    public NsLcmOpOccEntity instantiate(String id, Optional<String> tenantScope, InstantiateNsRequest request) {
        if (request == null || request.nsFlavourId() == null) {
            throw new InvalidRequestException("nsFlavourId is required");
        }
        NsInstanceEntity ns = get(id, tenantScope);
        requireState(ns, NOT_INSTANTIATED, "instantiate");
        List<NsVnfEntity> members = vnfs.ofNs(ns.id);
        if (request.additionalParamsForVnf() != null) {
            for (InstantiateNsRequest.ParamsForVnf p : request.additionalParamsForVnf()) {
                NsVnfEntity v = members.stream().filter(m -> m.vnfProfileId.equals(p.vnfProfileId())).findFirst()
                        .orElseThrow(() -> new UnprocessableContentException(
                                "The NSD has no VNF profile " + p.vnfProfileId()));
                v.additionalParams = json.write(p.additionalParams());
            }
        }
        ns.flavourId = request.nsFlavourId();
        return start(ns, "INSTANTIATE", "CREATE_VNFS", request);
    }

    @Transactional
    public NsLcmOpOccEntity terminate(String id, Optional<String> tenantScope, Object request) {
        NsInstanceEntity ns = get(id, tenantScope);
        requireState(ns, INSTANTIATED, "terminate");
        NsLcmOpOccEntity op = start(ns, "TERMINATE", "TERMINATE_VNFS", request);
        for (NsVnfEntity v : vnfs.ofNs(ns.id)) {
            // the terminate step sends one VNF terminate for each VNF without an operation to wait for
            v.vnfOpId = null;
            v.vnfOpState = null;
        }
        return op;
    }

    @Transactional
    public void delete(String id, Optional<String> tenantScope) {
        NsInstanceEntity ns = get(id, tenantScope);
        requireState(ns, NOT_INSTANTIATED, "delete");
        if (ops.unfinishedOf(ns.id).isPresent()) {
            throw new ConflictException("NS instance " + id + " has an unfinished operation");
        }
        ops.delete("nsInstanceId", ns.id);
        vnfs.delete("nsInstanceId", ns.id);
        instances.delete(ns);
        if (instances.countUsing(ns.nsdInfoId) == 0) {
            nsds.findByIdOptional(ns.nsdInfoId).ifPresent(n -> n.usageState = "NOT_IN_USE");
        }
    }

    /** SOL005 clause 6.4.13: give up an operation that stopped in FAILED_TEMP. */
    @Transactional
    public NsLcmOpOccEntity fail(String opId, Optional<String> tenantScope) {
        NsLcmOpOccEntity op = op(opId, tenantScope);
        if (op.state != LcmOperationState.FAILED_TEMP) {
            throw new ConflictException("Operation " + opId + " is " + op.state + ", not FAILED_TEMP");
        }
        op.transition(LcmOperationState.FAILED, op.errorDetail, clock.instant());
        notifications.opChanged(op);
        return op;
    }

    /**
     * A VNF LCM notification from the VNFM. It is only a nudge: the NS operation waiting on that VNF asks the VNFM for
     * the operation's state at its next step, so a forged notification cannot move an NS operation.
     */
    @Transactional
    public void vnfOperationChanged(VnfLcmOperationOccurrenceNotification n) {
        if (n == null || n.vnfInstanceId() == null) {
            throw new InvalidRequestException("vnfInstanceId is required");
        }
        vnfs.byVnfInstance(n.vnfInstanceId()).flatMap(v -> ops.unfinishedOf(v.nsInstanceId))
                .ifPresent(op -> {
                    op.lastPoll = null;
                    changed.fire(new NsOperationsChanged(op.nsInstanceId));
                });
    }

    private NsLcmOpOccEntity start(NsInstanceEntity ns, String operation, String firstStep, Object params) {
        if (ops.unfinishedOf(ns.id).isPresent()) {
            throw new ConflictException("NS instance " + ns.id + " already has an operation in progress");
        }
        Instant now = clock.instant();
        NsLcmOpOccEntity op = new NsLcmOpOccEntity();
        op.id = UUID.randomUUID().toString();
        op.tenant = ns.tenant;
        op.nsInstanceId = ns.id;
        op.operation = operation;
        // SOL005 NS operations have no STARTING state (granting is the VNFM's): they begin PROCESSING
        op.state = LcmOperationState.PROCESSING;
        op.stateEnteredTime = now;
        op.startTime = now;
        op.step = firstStep;
        op.operationParams = json.write(params);
        ops.persist(op);
        notifications.opChanged(op);
        changed.fire(new NsOperationsChanged(ns.id));
        return op;
    }

    private static void requireState(NsInstanceEntity ns, String state, String what) {
        if (!state.equals(ns.nsState)) {
            throw new ConflictException("Cannot " + what + " NS instance " + ns.id + ": it is " + ns.nsState);
        }
    }
}
