package io.isthmus.vnfm.service;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.integration.NfvoClient;
import io.isthmus.vnfm.integration.VnfPackageInfo;
import io.isthmus.vnfm.lifecycle.LcmNotifications;
import io.isthmus.vnfm.lifecycle.OperationJournal;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The VNF instance use cases of SOL003 VNF LCM: create, read, delete, and start instantiate or terminate. */
@ApplicationScoped
public class VnfInstanceService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Set<String> TERMINATION_TYPES = Set.of("FORCEFUL", "GRACEFUL");

    private final VnfInstanceRepository instances;
    private final LcmOpOccRepository ops;
    private final OperationJournal journal;
    private final NfvoClient nfvo;
    private final DesiredConfigurations configurations;
    private final Caller caller;
    private final ObjectMapper json;
    private final Clock clock;
    private final LcmNotifications notifications;

    public VnfInstanceService(VnfInstanceRepository instances, LcmOpOccRepository ops, OperationJournal journal,
            NfvoClient nfvo, DesiredConfigurations configurations, Caller caller, ObjectMapper json, Clock clock,
            LcmNotifications notifications) {
        this.notifications = notifications;
        this.instances = instances;
        this.ops = ops;
        this.journal = journal;
        this.nfvo = nfvo;
        this.configurations = configurations;
        this.caller = caller;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Creates a NOT_INSTANTIATED instance of an onboarded VNFD. A tenant's instance is always the tenant's
     * ({@code metadata.tenant} is set to the caller's); the platform's services name the tenant in the metadata.
     */
    public VnfInstanceEntity create(CreateVnfRequest request) {
        if (request == null || request.vnfdId() == null || request.vnfdId().isBlank()) {
            throw new InvalidRequestException("vnfdId is required");
        }
        Map<String, Object> metadata = new LinkedHashMap<>(request.metadata() == null ? Map.of() : request.metadata());
        Optional<String> scope = caller.tenantScope();
        scope.ifPresent(t -> metadata.put("tenant", t));
        Object tenantValue = metadata.get("tenant");
        if (tenantValue != null && !(tenantValue instanceof String)) {
            throw new InvalidRequestException("metadata.tenant must be a string");
        }
        String tenant = (String) tenantValue;
        if (metadata.containsKey(VnfInstanceEntity.NS_INSTANCE_ID)
                && (!caller.isService() || !(metadata.get(VnfInstanceEntity.NS_INSTANCE_ID) instanceof String))) {
            throw new InvalidRequestException("metadata." + VnfInstanceEntity.NS_INSTANCE_ID
                    + " is set by the NFVO for the VNFs of its NS instances only");
        }
        VnfPackageInfo pkg = packageOf(request.vnfdId());
        VnfInstanceEntity instance = new VnfInstanceEntity(UUID.randomUUID().toString(), request.vnfdId(),
                request.vnfInstanceName(), request.vnfInstanceDescription(),
                new VnfInstanceEntity.Descriptor(pkg.id(), pkg.vnfProvider(), pkg.vnfProductName(),
                        pkg.vnfSoftwareVersion(), pkg.vnfdVersion()),
                metadata, tenant, clock.instant());
        QuarkusTransaction.requiringNew().run(() -> {
            instances.persist(instance);
            notifications.identifierCreated(instance.id(), instance.tenant());
        });
        return instance;
    }

    private VnfPackageInfo packageOf(String vnfdId) {
        try {
            return nfvo.findOnboardedPackage(vnfdId).orElseThrow(() -> new VnfPackageNotFoundException(vnfdId));
        } catch (RemoteCallException e) {
            throw new PeerUnavailableException("The nfvo could not say which package holds vnfdId " + vnfdId + ": "
                    + e.getMessage());
        }
    }

    @Transactional
    public SolPage<VnfInstanceEntity> list(SolQuery query) {
        return instances.pageScoped(query, caller.tenantScope());
    }

    @Transactional
    public VnfInstanceEntity get(String id) {
        return instances.findScoped(id, caller.tenantScope()).orElseThrow(() -> new VnfInstanceNotFoundException(id));
    }

    /** SOL003 clause 5.4.3.3.5: only a NOT_INSTANTIATED instance with no operation open may go. */
    @Transactional
    public void delete(String id) {
        VnfInstanceEntity instance = changeable(locked(id));
        if (instance.isInstantiated()) {
            throw new InstantiationStateConflictException(id, "INSTANTIATED", "terminate it before deleting it");
        }
        requireNoOpenOperation(id);
        instances.delete(instance);
        notifications.identifierDeleted(id, instance.tenant());
    }

    /**
     * Starts instantiating. The request is checked against the VNF's package first — its flavour must be the VNFD's,
     * its {@code additionalParams} (the VNF's configuration) must fit the type's JSON Schema — so a request that
     * cannot work is refused with 422 before anything is granted or started. The configuration becomes the instance's
     * desired configuration, which the vnfm then keeps its slowpath at.
     */
    public LcmOpOccEntity instantiate(String id, InstantiateVnfRequest request) {
        if (request == null || request.flavourId() == null || request.flavourId().isBlank()) {
            throw new InvalidRequestException("flavourId is required");
        }
        // conflicts first (a read, no lock): the package is only fetched for a request that could start
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> instantiable(changeable(get(id))));
        Map<String, Object> configuration = request.additionalParams() == null
                ? Map.of()
                : request.additionalParams();
        configurations.check(seen.vnfPkgId(), request.flavourId(), configuration);
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instantiable(locked(id));
            instance.desire(configuration);
            return journal.open(instance, LcmOperationType.INSTANTIATE, json.convertValue(request, MAP));
        });
    }

    @Transactional
    public LcmOpOccEntity terminate(String id, TerminateVnfRequest request) {
        if (request == null || request.terminationType() == null
                || !TERMINATION_TYPES.contains(request.terminationType())) {
            throw new InvalidRequestException("terminationType is required: FORCEFUL or GRACEFUL");
        }
        VnfInstanceEntity instance = changeable(locked(id));
        if (!instance.isInstantiated()) {
            throw new InstantiationStateConflictException(id, "NOT_INSTANTIATED", "there is nothing to terminate");
        }
        requireNoOpenOperation(id);
        return journal.open(instance, LcmOperationType.TERMINATE, json.convertValue(request, MAP));
    }

    /**
     * A VNF that belongs to an NS instance is the NFVO's to change: anyone else (a tenant, an operator) changing it
     * directly would leave the NS describing a VNF that is not there, so they get 409 naming the NS.
     */
    public VnfInstanceEntity changeable(VnfInstanceEntity instance) {
        if (!caller.isService()) {
            instance.nsInstanceId().ifPresent(ns -> {
                throw new OwnedByNsException(instance.id(), ns);
            });
        }
        return instance;
    }

    private VnfInstanceEntity instantiable(VnfInstanceEntity instance) {
        if (instance.isInstantiated()) {
            throw new InstantiationStateConflictException(instance.id(), "INSTANTIATED",
                    "it cannot be instantiated again");
        }
        requireNoOpenOperation(instance.id());
        return instance;
    }

    private VnfInstanceEntity locked(String id) {
        return instances.lockScoped(id, caller.tenantScope()).orElseThrow(() -> new VnfInstanceNotFoundException(id));
    }

    private void requireNoOpenOperation(String id) {
        ops.findOpen(id).ifPresent(open -> {
            throw new OperationInProgressException(id, open.id(), open.state().name());
        });
    }
}
