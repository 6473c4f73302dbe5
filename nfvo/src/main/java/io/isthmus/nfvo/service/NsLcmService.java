package io.isthmus.nfvo.service;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

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
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.VnfTaskKind;
import io.isthmus.nfvo.persistence.NsState;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.NsdEntity;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.nfvo.persistence.VnfCountersEntity;
import io.isthmus.nfvo.persistence.VnfLeftoverRepository;
import io.isthmus.nfvo.persistence.VnfUsageRepository;
import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.model.CreateNsRequest;
import io.isthmus.sol.model.HealNsRequest;
import io.isthmus.sol.model.ScaleNsRequest;
import io.isthmus.sol.model.TerminateNsRequest;
import io.isthmus.sol.model.UpdateNsRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.InstantiateNsRequest;
import io.isthmus.sol.model.VnfIdentifierNotification;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * NS lifecycle use cases (SOL005 clause 6): create, instantiate, scale, heal, update, terminate, delete (giving up,
 * retrying, continuing and cancelling operations is {@link NsOperationControl}'s). Each LCM request only opens
 * an operation occurrence through the journal; the engine in {@code lifecycle} drives it.
 */
@ApplicationScoped
public class NsLcmService {

    /** Where SOL003 requests carry a change of a VNF's configuration. */
    static final String CONFIGURABLE_PROPERTIES = "vnfConfigurableProperties";
    /** The key of a VNF's metadata under which the NS view shows its data-plane counters: the NFVO's, no one else's. */
    public static final String COUNTERS = "counters";

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
    private final VnfConfigSecrets secrets;
    /** The wires of each NSD (by NsdInfo id) that chains VNFs; an NSD's content never changes once on-boarded. */
    private final Map<String, List<NextHops.Wire>> wires = new java.util.concurrent.ConcurrentHashMap<>();

    public NsLcmService(NsInstanceRepository instances, NsVnfRepository vnfs, NsLcmOpOccRepository ops,
            NsdRepository nsds, NsOperationJournal journal, Json json, Clock clock, Event<NsWorkAvailable> work,
            NextHops nextHops, VnfLeftoverRepository leftovers, VnfmClient vnfm, VnfUsageRepository usage,
            VnfConfigSecrets secrets) {
        this.secrets = secrets;
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

    /**
     * The wires of the NS's chains, from its NSD, which never changes once on-boarded: none if it chains no VNFs, or
     * chains them in a way this NFVO does not wire (its instantiation is refused, {@link NextHops#wires}).
     */
    public List<NextHops.Wire> wiresOf(NsInstanceEntity ns) {
        if (ns.nsdInfoId == null) {
            return List.of();
        }
        return wires.computeIfAbsent(ns.nsdInfoId, id -> {
            NsdParser.Nsd nsd = nsds.findByIdOptional(id).map(n -> NsdParser.parse(n.content)).orElse(null);
            if (nsd == null || !nsd.chainsVnfs()) {
                return List.of();
            }
            try {
                return nextHops.wires(nsd);
            } catch (InvalidPackageContentException e) {
                return List.of();
            }
        });
    }

    public List<NsVnfEntity> vnfsOf(String nsInstanceId) {
        return vnfs.ofNs(nsInstanceId);
    }

    /** The data-plane counters of the NS's VNFs as last read from the VNFM, by VNF instance (none before a read). */
    public Map<String, VnfCountersEntity> countersOf(String nsInstanceId) {
        return vnfs.countersOf(nsInstanceId);
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
                VnfConfigSecrets.refuseSealedInput(p.additionalParams(), "additionalParamsForVnf");
                given.put(p.vnfProfileId(), p.additionalParams());
            }
        }
        // next hops come from the NS's endpoints, not from the tenant: all checked before anything is kept
        NsdParser.Nsd nsd = NsdParser.parse(nsds.findByIdOptional(ns.nsdInfoId)
                .orElseThrow(() -> new UnprocessableContentException("The NSD of NS " + id + " is gone")).content);
        // a chain's links are wired by the operation, once the VNFs at both ends run: each must say which they join
        nextHops.wires(nsd);
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        for (NsVnfEntity member : members) {
            configs.put(member.vnfProfileId, nextHops.derive(nsd, member.vnfProfileId,
                    given.get(member.vnfProfileId), request.additionalParamsForNs()));
        }
        for (NsVnfEntity member : members) {
            Map<String, Object> config = configs.get(member.vnfProfileId);
            if (given.containsKey(member.vnfProfileId) || !config.isEmpty()) {
                // its secrets (writeOnly in its type's schema) sealed; opened when sent to the VNFM
                member.additionalParams = json.write(secrets.seal(config, member.vnfdId));
            }
        }
        ns.flavourId = request.nsFlavourId();
        Map<String, String> vnfdOfProfile = new LinkedHashMap<>();
        members.forEach(m -> vnfdOfProfile.putIfAbsent(m.vnfProfileId, m.vnfdId));
        return open(ns, NsOperationType.INSTANTIATE, secrets.sealInList(json.readMap(json.write(request)),
                "additionalParamsForVnf", "additionalParams", p -> vnfdOfProfile.get(p.get("vnfProfileId"))));
    }

    /** SOL005 terminate, now or at {@code terminationTime} (the operation PROCESSING, waiting, until then). */
    @Transactional
    public NsLcmOpOccEntity terminate(String id, Optional<String> tenantScope, TerminateNsRequest request) {
        NsInstanceEntity ns = get(id, tenantScope);
        Instant at = time(request == null ? null : request.terminationTime(), "terminationTime");
        requireStartable(ns, NsOperationType.TERMINATE, "terminate");
        // the terminate step sends one VNF terminate for each VNF without an operation to wait for
        vnfs.ofNs(ns.id).forEach(NsVnfEntity::operationCleared);
        return open(ns, NsOperationType.TERMINATE, request == null ? Map.of() : request, at);
    }

    /**
     * SOL005 scale: SCALE_VNF sends each VNF named its scale or scale to level; SCALE_NS scales each VNF the NSD's
     * VnfToLevelMapping names for the NS scale levels asked for. {@code scaleTime} in the future: the operation waits.
     */
    @Transactional
    public NsLcmOpOccEntity scale(String id, Optional<String> tenantScope, ScaleNsRequest request) {
        NsInstanceEntity ns = get(id, tenantScope);
        Instant at = time(request == null ? null : request.scaleTime(), "scaleTime");
        List<NsVnfEntity> members = vnfs.ofNs(ns.id);
        Map<String, String> vnfOfProfile = new LinkedHashMap<>();
        members.stream().filter(m -> m.vnfInstanceId() != null)
                .forEach(m -> vnfOfProfile.putIfAbsent(m.vnfProfileId, m.vnfInstanceId()));
        List<NsVnfTasks.Task> tasks = NsVnfTasks.scale(request, nsdOf(ns), vnfOfProfile);
        return openWithTasks(ns, NsOperationType.SCALE, "scale", request, tasks, List.of(), at);
    }

    /** SOL005 heal: each VNF named in {@code healVnfData} healed by the VNFM. */
    @Transactional
    public NsLcmOpOccEntity heal(String id, Optional<String> tenantScope, HealNsRequest request) {
        NsInstanceEntity ns = get(id, tenantScope);
        List<NsVnfEntity> none = List.of();
        return openWithTasks(ns, NsOperationType.HEAL, "heal", request, NsVnfTasks.heal(request), none, null);
    }

    /**
     * SOL005 update. ADD_VNF: existing VNF instances of the NS's tenant, instantiated, of no NS, whose VNFD is the one
     * of the VNF profile named, join the NS (the VNFM is asked for each before anything is kept). REMOVE_VNF: the VNFs
     * are terminated, deleted and dropped from the NS. CHANGE_VNF_DF, OPERATE_VNF, MODIFY_VNF_INFORMATION: each VNF's
     * change_flavour, operate or PATCH. {@code updateTime} in the future: the operation waits.
     */
    public NsLcmOpOccEntity update(String id, Optional<String> tenantScope, UpdateNsRequest request) {
        NsInstanceEntity found = QuarkusTransaction.requiringNew().call(() -> {
            NsInstanceEntity ns = get(id, tenantScope);
            requireStartable(ns, NsOperationType.UPDATE, "update"); // before the VNFM is asked anything
            return ns;
        });
        Instant at = time(request == null ? null : request.updateTime(), "updateTime");
        List<NsVnfTasks.Task> tasks = NsVnfTasks.update(request);
        List<NsVnfTasks.Joining> joining = NsVnfTasks.joining(request);
        // the VNFM is asked outside any transaction; the answers are checked with the NS read again below
        Map<String, VnfInstance> joiners = new LinkedHashMap<>();
        for (NsVnfTasks.Joining j : joining) {
            joiners.put(j.vnfInstanceId(), readJoiner(j.vnfInstanceId(), found.tenant));
        }
        Instant readAt = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            NsInstanceEntity ns = get(id, tenantScope);
            Map<String, String> profiles = NsdService.profiles(nsds.findById(ns.nsdInfoId));
            List<NsVnfEntity> added = new ArrayList<>();
            // a link of a chain joins one VNF at each end: a chained profile takes a VNF only while it has none
            Set<String> chained = new HashSet<>();
            wiresOf(ns).forEach(w -> chained.add(w.vnfProfileId()));
            Set<String> occupied = new HashSet<>();
            vnfs.ofNs(ns.id).forEach(v -> occupied.add(v.vnfProfileId));
            for (NsVnfTasks.Joining j : joining) {
                VnfInstance vnf = joiners.get(j.vnfInstanceId());
                String vnfdId = profiles.get(j.vnfProfileId());
                if (vnfdId == null) {
                    throw new UnprocessableContentException("The NSD has no VNF profile " + j.vnfProfileId());
                }
                if (chained.contains(j.vnfProfileId()) && !occupied.add(j.vnfProfileId())) {
                    throw new UnprocessableContentException("VNF profile " + j.vnfProfileId() + " is in a chain and"
                            + " has its VNF already: a link of a chain joins one VNF at each end");
                }
                if (!vnfdId.equals(vnf.vnfdId())) {
                    throw new UnprocessableContentException("VNF instance " + j.vnfInstanceId() + " is of VNFD "
                            + vnf.vnfdId() + ", not " + vnfdId + " as VNF profile " + j.vnfProfileId());
                }
                if (!"INSTANTIATED".equals(vnf.instantiationState())) {
                    throw new UnprocessableContentException(
                            "VNF instance " + j.vnfInstanceId() + " is not instantiated; only one that is joins an NS");
                }
                if (vnfs.byVnfInstance(j.vnfInstanceId()).isPresent()
                        || (vnf.metadata() != null && vnf.metadata().get("nsInstanceId") != null)) {
                    throw new UnprocessableContentException(
                            "VNF instance " + j.vnfInstanceId() + " belongs to an NS already");
                }
                NsVnfEntity v = new NsVnfEntity();
                v.id = UUID.randomUUID().toString();
                v.nsInstanceId = ns.id;
                v.vnfProfileId = j.vnfProfileId();
                v.vnfdId = vnfdId;
                v.created(vnf.id(), json.write(vnf), readAt);
                added.add(v);
            }
            return openWithTasks(ns, NsOperationType.UPDATE, "update", request, tasks, added, at);
        });
    }

    /** The VNF instance an ADD_VNF names, if the NS's tenant's; anything else is the same 422 (no oracle). */
    private VnfInstance readJoiner(String vnfInstanceId, String tenant) {
        VnfInstance vnf;
        try {
            vnf = vnfm.get(vnfInstanceId);
        } catch (RemoteCallException e) {
            if (e.status() < 400 || e.status() >= 500) {
                throw e; // the VNFM could not answer: 503, nothing changed
            }
            vnf = null;
        }
        if (vnf == null || vnf.metadata() == null || !tenant.equals(vnf.metadata().get("tenant"))) {
            throw new UnprocessableContentException("No VNF instance " + vnfInstanceId + " of this tenant");
        }
        return vnf;
    }

    /**
     * Opens {@code type} on the NS, asking each task of its VNF: every VNF the request names must be one of the NS's
     * (422 otherwise). {@code added} are VNFs joining the NS with it.
     */
    private NsLcmOpOccEntity openWithTasks(NsInstanceEntity ns, NsOperationType type, String task, Object request,
            List<NsVnfTasks.Task> tasks, List<NsVnfEntity> added, Instant at) {
        requireStartable(ns, type, task);
        List<NsVnfEntity> members = vnfs.ofNs(ns.id);
        Map<String, NsVnfEntity> byVnf = new LinkedHashMap<>();
        members.stream().filter(m -> m.vnfInstanceId() != null).forEach(m -> byVnf.put(m.vnfInstanceId(), m));
        for (NsVnfTasks.Task t : tasks) {
            if (!byVnf.containsKey(t.vnfInstanceId())) {
                throw new UnprocessableContentException(
                        "VNF instance " + t.vnfInstanceId() + " is not a VNF of NS instance " + ns.id);
            }
        }
        members.forEach(NsVnfEntity::operationCleared);
        for (NsVnfTasks.Task t : tasks) {
            NsVnfEntity member = byVnf.get(t.vnfInstanceId());
            member.assign(t.kind(), json.write(sealedTask(t, member.vnfdId)));
        }
        for (NsVnfEntity v : added) {
            v.assign(VnfTaskKind.ADD, null);
            vnfs.persist(v);
        }
        // the configurations the request carries for the VNFs, their secrets sealed, as the tasks keep them
        Function<Map<String, Object>, String> vnfdOf = item -> item.get("vnfInstanceId") instanceof String v
                && byVnf.containsKey(v) ? byVnf.get(v).vnfdId : null;
        Map<String, Object> params = json.readMap(json.write(request == null ? Map.of() : request));
        params = secrets.sealInList(params, "modifyVnfInfoData", CONFIGURABLE_PROPERTIES, vnfdOf);
        params = secrets.sealInList(params, "changeVnfFlavourData", CONFIGURABLE_PROPERTIES, vnfdOf);
        return open(ns, type, params, at);
    }

    /** A task for a VNF as it is kept: a configuration it carries ({@code vnfConfigurableProperties}) sealed. */
    @SuppressWarnings("unchecked")
    private Object sealedTask(NsVnfTasks.Task t, String vnfdId) {
        if (t.body() == null) {
            return null;
        }
        Map<String, Object> body = json.readMap(json.write(t.body()));
        if (!(body.get(CONFIGURABLE_PROPERTIES) instanceof Map<?, ?> config)) {
            return t.body();
        }
        VnfConfigSecrets.refuseSealedInput(config, CONFIGURABLE_PROPERTIES);
        body.put(CONFIGURABLE_PROPERTIES, secrets.seal((Map<String, Object>) config, vnfdId));
        return body;
    }

    private NsdParser.Nsd nsdOf(NsInstanceEntity ns) {
        return NsdParser.parse(nsds.findByIdOptional(ns.nsdInfoId)
                .orElseThrow(() -> new UnprocessableContentException("The NSD of NS " + ns.id + " is gone")).content);
    }

    /** A SOL005 date-time of the request; absent → null (now). */
    private static Instant time(String value, String attribute) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    "Invalid value at " + attribute + ": not a date-time (RFC 3339, as 2026-12-03T14:00:00Z)");
        }
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
        return open(ns, type, request, null);
    }

    private NsLcmOpOccEntity open(NsInstanceEntity ns, NsOperationType type, Object request, Instant notBefore) {
        NsLcmOpOccEntity op = journal.open(ns, type, json.write(request), notBefore);
        try {
            ops.flush();
        } catch (PersistenceException e) {
            if (e.getCause() instanceof ConstraintViolationException) {
                throw new NsOperationInProgressException(ns.id, "(started concurrently)",
                        NsLcmOperationState.PROCESSING);
            }
            throw e;
        }
        return op;
    }

    private void requireStartable(NsInstanceEntity ns, NsOperationType type, String task) {
        // read again under a row lock: a concurrent request, or the engine finishing an operation, changes the NS in
        // between a plain read of its state and of its open operation (twenty parallel instantiates: two 202s)
        instances.getEntityManager().refresh(ns, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (ns.nsState() != type.requiredState()) {
            throw new NsInstanceStateConflictException(ns.id, ns.nsState(), task);
        }
        ops.unfinishedOf(ns.id).ifPresent(op -> {
            throw new NsOperationInProgressException(ns.id, op.id, op.state);
        });
    }
}
