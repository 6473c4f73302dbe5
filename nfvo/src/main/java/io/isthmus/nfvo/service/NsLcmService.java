package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.lifecycle.NsOperationJournal;
import io.isthmus.nfvo.lifecycle.NsWorkAvailable;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccRepository;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.NsState;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.NsdEntity;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.nfvo.persistence.VnfLeftoverRepository;
import io.isthmus.nfvo.persistence.VnfUsageRepository;
import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.CreateNsRequest;
import io.isthmus.sol.model.InstantiateNsRequest;
import io.isthmus.sol.model.VnfIdentifierNotification;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * NS lifecycle use cases (SOL005 clause 6): create, instantiate, terminate, delete, fail. Each LCM request only opens
 * an operation occurrence through the journal; the engine in {@code lifecycle} drives it.
 */
@ApplicationScoped
public class NsLcmService {

    private final NsInstanceRepository instances;
    private final NsVnfRepository vnfs;
    private final NsLcmOpOccRepository ops;
    private final NsdRepository nsds;
    private final NsOperationJournal journal;
    private final Json json;
    private final Clock clock;
    private final Event<NsWorkAvailable> work;
    private final NextHops nextHops;
    private final VnfLeftoverRepository leftovers;
    private final VnfmClient vnfm;
    private final VnfUsageRepository usage;

    public NsLcmService(NsInstanceRepository instances, NsVnfRepository vnfs, NsLcmOpOccRepository ops,
            NsdRepository nsds, NsOperationJournal journal, Json json, Clock clock, Event<NsWorkAvailable> work,
            NextHops nextHops, VnfLeftoverRepository leftovers, VnfmClient vnfm, VnfUsageRepository usage) {
        this.usage = usage;
        this.leftovers = leftovers;
        this.vnfm = vnfm;
        this.nextHops = nextHops;
        this.instances = instances;
        this.vnfs = vnfs;
        this.ops = ops;
        this.nsds = nsds;
        this.journal = journal;
        this.json = json;
        this.clock = clock;
        this.work = work;
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

    public SolPage<NsInstanceEntity> list(SolQuery query, Optional<String> tenantScope) {
        return instances.pageScoped(query, tenantScope);
    }

    public List<NsVnfEntity> vnfsOf(String nsInstanceId) {
        return vnfs.ofNs(nsInstanceId);
    }

    public NsLcmOpOccEntity op(String id, Optional<String> tenantScope) {
        return ops.findScoped(id, tenantScope).orElseThrow(() -> new NsLcmOpOccNotFoundException(id));
    }

    public SolPage<NsLcmOpOccEntity> ops(SolQuery query, Optional<String> tenantScope) {
        return ops.pageScoped(query, tenantScope);
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
        requireStartable(ns, NsOperationType.INSTANTIATE, "instantiate");
        List<NsVnfEntity> members = vnfs.ofNs(ns.id);
        Map<String, Map<String, Object>> given = new LinkedHashMap<>();
        if (request.additionalParamsForVnf() != null) {
            for (InstantiateNsRequest.ParamsForVnf p : request.additionalParamsForVnf()) {
                members.stream().filter(m -> m.vnfProfileId.equals(p.vnfProfileId())).findFirst()
                        .orElseThrow(() -> new UnprocessableContentException(
                                "The NSD has no VNF profile " + p.vnfProfileId()));
                given.put(p.vnfProfileId(), p.additionalParams());
            }
        }
        // next hops come from the NS's endpoints, not from the tenant: all checked before anything is kept
        NsdParser.Nsd nsd = NsdParser.parse(nsds.findByIdOptional(ns.nsdInfoId)
                .orElseThrow(() -> new UnprocessableContentException("The NSD of NS " + id + " is gone")).content);
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        for (NsVnfEntity member : members) {
            configs.put(member.vnfProfileId, nextHops.derive(nsd, member.vnfProfileId,
                    given.get(member.vnfProfileId), request.additionalParamsForNs()));
        }
        for (NsVnfEntity member : members) {
            Map<String, Object> config = configs.get(member.vnfProfileId);
            if (given.containsKey(member.vnfProfileId) || !config.isEmpty()) {
                member.additionalParams = json.write(config);
            }
        }
        ns.flavourId = request.nsFlavourId();
        return open(ns, NsOperationType.INSTANTIATE, request);
    }

    @Transactional
    public NsLcmOpOccEntity terminate(String id, Optional<String> tenantScope, Object request) {
        NsInstanceEntity ns = get(id, tenantScope);
        requireStartable(ns, NsOperationType.TERMINATE, "terminate");
        // the terminate step sends one VNF terminate for each VNF without an operation to wait for
        vnfs.ofNs(ns.id).forEach(NsVnfEntity::operationCleared);
        return open(ns, NsOperationType.TERMINATE, request);
    }

    @Transactional
    public void delete(String id, Optional<String> tenantScope) {
        NsInstanceEntity ns = get(id, tenantScope);
        if (ns.nsState() != NsState.NOT_INSTANTIATED) {
            throw new NsInstanceStateConflictException(ns.id, ns.nsState(), "delete");
        }
        ops.unfinishedOf(ns.id).ifPresent(op -> {
            throw new NsOperationInProgressException(ns.id, op.id, op.state);
        });
        ops.delete("nsInstanceId", ns.id);
        if (leftovers.handOver(vnfs.ofNs(ns.id), ns.tenant, clock.instant()) > 0) {
            work.fire(new NsWorkAvailable());
        }
        vnfs.delete("nsInstanceId", ns.id);
        instances.delete(ns);
        if (instances.countUsing(ns.nsdInfoId) == 0) {
            nsds.findByIdOptional(ns.nsdInfoId).ifPresent(n -> n.usageState = "NOT_IN_USE");
        }
    }

    /**
     * SOL005 clause 6.4.13: give up an operation that stopped in FAILED_TEMP. The VNF operations it stopped on are
     * given up on the VNFM first (else they would block the VNFs for good); a given-up instantiation hands the VNFs it
     * created to the leftover reaper, so the NS is back to NOT_INSTANTIATED with no VNF, to instantiate again or delete.
     */
    public NsLcmOpOccEntity fail(String opId, Optional<String> tenantScope) {
        return giveUp(opId, tenantScope, LcmOperationState.FAILED);
    }

    /**
     * SOL005 clause 6.4.15: roll back an instantiation that stopped in FAILED_TEMP. As {@link #fail}, and the operation
     * stays ROLLING_BACK until the VNFs it created are gone from the VNFM ({@code VnfLeftoverReaper}), then
     * ROLLED_BACK. A termination is not rolled back (409): terminate again, or fail it.
     */
    public NsLcmOpOccEntity rollback(String opId, Optional<String> tenantScope) {
        return giveUp(opId, tenantScope, LcmOperationState.ROLLING_BACK);
    }

    /** Fail ({@code to} FAILED) or roll back ({@code to} ROLLING_BACK) an operation that is FAILED_TEMP. */
    private NsLcmOpOccEntity giveUp(String opId, Optional<String> tenantScope, LcmOperationState to) {
        List<String> failedVnfOps = QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = givable(opId, tenantScope, to);
            return vnfs.ofNs(op.nsInstanceId).stream()
                    .filter(v -> v.vnfOpId() != null && v.vnfOpState() == LcmOperationState.FAILED_TEMP)
                    .map(NsVnfEntity::vnfOpId).toList();
        });
        failedVnfOps.forEach(vnfm::fail); // a VNFM that cannot be reached: 503, and nothing changed here
        return QuarkusTransaction.requiringNew().call(() -> {
            NsLcmOpOccEntity op = givable(opId, tenantScope, to);
            if (op.type() == NsOperationType.INSTANTIATE) {
                NsInstanceEntity ns = instances.findById(op.nsInstanceId);
                leftovers.handOver(vnfs.ofNs(ns.id), ns.tenant, clock.instant());
                work.fire(new NsWorkAvailable());
            }
            journal.transition(op, to, to == LcmOperationState.FAILED ? "failed on request" : "rolling back on request",
                    null);
            return op;
        });
    }

    /** The operation, if it can go {@code to}: it is FAILED_TEMP, and for a rollback an instantiation. */
    private NsLcmOpOccEntity givable(String opId, Optional<String> tenantScope, LcmOperationState to) {
        NsLcmOpOccEntity op = op(opId, tenantScope);
        String task = to == LcmOperationState.FAILED ? "fail" : "roll back";
        if (op.state != LcmOperationState.FAILED_TEMP) {
            throw new NsOperationStateConflictException(opId, op.state, task);
        }
        if (to == LcmOperationState.ROLLING_BACK && op.type() != NsOperationType.INSTANTIATE) {
            throw new NsOperationStateConflictException(opId, op.state, task + " (only an instantiation can be)");
        }
        return op;
    }

    /**
     * A VNF LCM notification from the VNFM: an operation's change, or an instance created or deleted (for the packages'
     * usageState). It is only a nudge: the NS operation waiting on that VNF asks the VNFM for
     * the operation's state at its next step, and the engine reads the VnfInstance again for the NS view, so a forged
     * notification cannot move an NS operation nor change what the view shows.
     */
    @Transactional
    public void vnfOperationChanged(VnfLcmOperationOccurrenceNotification n) {
        if (n == null || n.vnfInstanceId() == null) {
            throw new InvalidRequestException("vnfInstanceId is required");
        }
        if (VnfIdentifierNotification.CREATION.equals(n.notificationType())
                || VnfIdentifierNotification.DELETION.equals(n.notificationType())) {
            usage.notified(n.vnfInstanceId(), clock.instant());
            work.fire(new NsWorkAvailable());
        } else if (vnfs.notified(n.vnfInstanceId(), clock.instant())) {
            work.fire(new NsWorkAvailable());
        }
    }

    /** Opens the operation; a concurrent request that opened one first wins (the one-open-operation index). */
    private NsLcmOpOccEntity open(NsInstanceEntity ns, NsOperationType type, Object request) {
        NsLcmOpOccEntity op = journal.open(ns, type, json.write(request));
        try {
            ops.flush();
        } catch (PersistenceException e) {
            if (e.getCause() instanceof ConstraintViolationException) {
                throw new NsOperationInProgressException(ns.id, "(started concurrently)", LcmOperationState.PROCESSING);
            }
            throw e;
        }
        return op;
    }

    private void requireStartable(NsInstanceEntity ns, NsOperationType type, String task) {
        if (ns.nsState() != type.requiredState()) {
            throw new NsInstanceStateConflictException(ns.id, ns.nsState(), task);
        }
        ops.unfinishedOf(ns.id).ifPresent(op -> {
            throw new NsOperationInProgressException(ns.id, op.id, op.state);
        });
    }
}
