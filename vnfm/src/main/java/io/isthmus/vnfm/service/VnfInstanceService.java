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
import io.isthmus.sol.model.ChangeCurrentVnfPkgRequest;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.ChangeExtVnfConnectivityRequest;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.vnfm.integration.VnfDescriptor;
import io.isthmus.vnfm.lifecycle.OperationStepper;
import io.isthmus.vnfm.lifecycle.ScalePlans;
import io.isthmus.vnfm.persistence.VnfcResource;
import java.util.List;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.WriteOnlyPaths;
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
    private final ConfigSecrets secrets;

    public VnfInstanceService(VnfInstanceRepository instances, LcmOpOccRepository ops, OperationJournal journal,
            NfvoClient nfvo, DesiredConfigurations configurations, Caller caller, ObjectMapper json, Clock clock,
            LcmNotifications notifications, ConfigSecrets secrets) {
        this.notifications = notifications;
        this.secrets = secrets;
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
        return create(request, null);
    }

    /**
     * Creates, or with an {@code Idempotency-Key} the caller used before for this tenant, returns the instance that
     * request created: a client (the NFVO) that repeats a create after a crash gets the same instance, not a second.
     */
    public VnfInstanceEntity create(CreateVnfRequest request, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to 255 characters");
        }
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
        if (idempotencyKey != null) {
            Optional<VnfInstanceEntity> earlier = QuarkusTransaction.requiringNew()
                    .call(() -> instances.findByIdempotencyKey(tenant, idempotencyKey));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        VnfPackageInfo pkg = packageOf(request.vnfdId());
        VnfInstanceEntity instance = new VnfInstanceEntity(UUID.randomUUID().toString(), request.vnfdId(),
                request.vnfInstanceName(), request.vnfInstanceDescription(),
                new VnfInstanceEntity.Descriptor(pkg.id(), pkg.vnfProvider(), pkg.vnfProductName(),
                        pkg.vnfSoftwareVersion(), pkg.vnfdVersion()),
                metadata, tenant, clock.instant());
        instance.idempotencyKey(idempotencyKey);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                instances.persist(instance);
                notifications.identifierCreated(instance.id(), instance.tenant());
            });
        } catch (RuntimeException e) {
            // the same key raced in from another request: that one's instance is the answer
            if (idempotencyKey != null) {
                Optional<VnfInstanceEntity> winner = QuarkusTransaction.requiringNew()
                        .call(() -> instances.findByIdempotencyKey(tenant, idempotencyKey));
                if (winner.isPresent()) {
                    return winner.get();
                }
            }
            throw e;
        }
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
        ConfigSecrets.refuseSealedInput(configuration, "additionalParams");
        configurations.check(seen.vnfPkgId(), request.flavourId(), configuration);
        // the secrets (writeOnly in the schema) are kept sealed, in the desired configuration as in the request kept
        WriteOnlyPaths secret = configurations.secretPaths(seen.vnfPkgId());
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instantiable(locked(id));
            instance.desire(secrets.seal(configuration, secret));
            return journal.open(instance, LcmOperationType.INSTANTIATE,
                    secrets.sealUnder(json.convertValue(request, MAP), "additionalParams", secret));
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

    /** SOL003 clause 5.4.5: SCALE_OUT / SCALE_IN of an aspect by steps, within the VNFD's levels (else 422). */
    public LcmOpOccEntity scale(String id, ScaleVnfRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || request.type() == null || !Set.of("SCALE_OUT", "SCALE_IN").contains(request.type())) {
            throw new InvalidRequestException("type is required: SCALE_OUT or SCALE_IN");
        }
        if (request.aspectId() == null || request.aspectId().isBlank()) {
            throw new InvalidRequestException("aspectId is required");
        }
        if (request.numberOfSteps() != null && request.numberOfSteps() < 1) {
            throw new InvalidRequestException("numberOfSteps must be 1 or more");
        }
        return openChecked(id, LcmOperationType.SCALE, json.convertValue(request, MAP), true);
    }

    /** SOL003 clause 5.4.6: to an instantiation level, or to a scale level per aspect (else 422). */
    public LcmOpOccEntity scaleToLevel(String id, ScaleVnfToLevelRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || (request.instantiationLevelId() == null) == (request.scaleInfo() == null)) {
            throw new InvalidRequestException("exactly one of instantiationLevelId and scaleInfo is required");
        }
        return openChecked(id, LcmOperationType.SCALE_TO_LEVEL, json.convertValue(request, MAP), true);
    }

    /** SOL003 clause 5.4.7: only to the VNFD's flavour, at one of its instantiation levels. */
    public LcmOpOccEntity changeFlavour(String id, ChangeVnfFlavourRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || request.newFlavourId() == null || request.newFlavourId().isBlank()) {
            throw new InvalidRequestException("newFlavourId is required");
        }
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> instantiatedIdle(changeable(get(id))));
        VnfDescriptor vnfd = configurations.descriptor(seen.vnfPkgId());
        if (!vnfd.flavourId().equals(request.newFlavourId())) {
            throw new UnprocessableContentException("newFlavourId " + request.newFlavourId()
                    + " is not a flavour of the VNFD " + vnfd.vnfdId() + "; its flavours are [" + vnfd.flavourId()
                    + "]");
        }
        return openChecked(id, LcmOperationType.CHANGE_FLAVOUR, json.convertValue(request, MAP), true);
    }

    /** SOL003 clause 5.4.9: restart ({@code additionalParams.healMode} RESTART, default) or replace VNFCs. */
    public LcmOpOccEntity heal(String id, HealVnfRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        Map<String, Object> params = json.convertValue(request == null
                ? new HealVnfRequest(null, null, null, null)
                : request, MAP);
        Object mode = request == null || request.additionalParams() == null
                ? null
                : request.additionalParams().get("healMode");
        if (mode != null && !Set.of("RESTART", "REPLACE").contains(String.valueOf(mode))) {
            throw new UnprocessableContentException("additionalParams.healMode must be RESTART or REPLACE");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instantiatedIdle(changeable(locked(id)));
            List<String> known = instance.vnfcResources().stream().map(VnfcResource::id).toList();
            if (request != null && request.vnfcInstanceId() != null) {
                List<String> unknown = request.vnfcInstanceId().stream().filter(v -> !known.contains(v)).toList();
                if (!unknown.isEmpty() || request.vnfcInstanceId().isEmpty()) {
                    throw new UnprocessableContentException("vnfcInstanceId " + unknown + " are not VNFCs of VNF "
                            + "instance " + id + "; it has " + known);
                }
            }
            return journal.open(instance, LcmOperationType.HEAL, params);
        });
    }

    /** SOL003 clause 5.4.10: STARTED or STOPPED, GRACEFUL (drain first, up to the timeout) or FORCEFUL. */
    public LcmOpOccEntity operate(String id, OperateVnfRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || request.changeStateTo() == null
                || !Set.of("STARTED", "STOPPED").contains(request.changeStateTo())) {
            throw new InvalidRequestException("changeStateTo is required: STARTED or STOPPED");
        }
        if (request.stopType() != null && !TERMINATION_TYPES.contains(request.stopType())) {
            throw new InvalidRequestException("stopType must be FORCEFUL or GRACEFUL");
        }
        if (request.vnfcInstanceId() != null) {
            throw new UnprocessableContentException("operate applies to the whole VNF here; vnfcInstanceId is not "
                    + "supported (heal restarts single VNFCs)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instantiatedIdle(changeable(locked(id)));
            if (request.changeStateTo().equals(instance.vnfState())) {
                throw new InstantiationStateConflictException(id, "INSTANTIATED",
                        "it is " + instance.vnfState() + " already");
            }
            return journal.open(instance, LcmOperationType.OPERATE, json.convertValue(request, MAP));
        });
    }

    /**
     * SOL003 clause 5.4.3.3.4: PATCH (JSON Merge Patch) of name, description, metadata, extensions and
     * vnfConfigurableProperties, the last applied to the running VNF.
     */
    public LcmOpOccEntity modify(String id, VnfInfoModificationRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null) {
            throw new InvalidRequestException("a VnfInfoModificationRequest body is required");
        }
        if (request.vnfdId() != null) {
            throw new UnprocessableContentException("vnfdId cannot be changed by PATCH here; change_vnfpkg changes "
                    + "the package of an instantiated VNF");
        }
        if (request.metadata() != null && request.metadata().containsKey(VnfInstanceEntity.NS_INSTANCE_ID)
                && (!caller.isService() || !(request.metadata().get(VnfInstanceEntity.NS_INSTANCE_ID) instanceof String
                        || request.metadata().get(VnfInstanceEntity.NS_INSTANCE_ID) == null))) {
            throw new InvalidRequestException("metadata." + VnfInstanceEntity.NS_INSTANCE_ID
                    + " is set by the NFVO only (an NS's VNFs, SOL005 ADD_VNF)");
        }
        if (request.metadata() != null && request.metadata().containsKey("tenant")) {
            throw new InvalidRequestException("metadata.tenant cannot be changed");
        }
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> idle(changeable(get(id))));
        Map<String, Object> params = json.convertValue(request, MAP);
        if (request.vnfConfigurableProperties() != null) {
            if (!seen.isInstantiated()) {
                throw new InstantiationStateConflictException(id, "NOT_INSTANTIATED",
                        "its configuration is given at instantiation");
            }
            params = checkedChange(seen, seen.vnfPkgId(), params, "vnfConfigurableProperties");
        }
        Map<String, Object> kept = params;
        return QuarkusTransaction.requiringNew().call(() -> journal.open(idle(changeable(locked(id))),
                LcmOperationType.MODIFY_INFO, kept));
    }

    /** SOL003 clause 5.4.11: the external connection points' next hops ({@code additionalParams}), applied live. */
    public LcmOpOccEntity changeExtConn(String id, ChangeExtVnfConnectivityRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || request.additionalParams() == null || request.additionalParams().isEmpty()) {
            throw new InvalidRequestException("additionalParams with the connection points' next hops is required");
        }
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> instantiatedIdle(changeable(get(id))));
        Map<String, Object> params = checkedChange(seen, seen.vnfPkgId(), json.convertValue(request, MAP),
                "additionalParams");
        return QuarkusTransaction.requiringNew().call(() -> journal.open(instantiatedIdle(changeable(locked(id))),
                LcmOperationType.CHANGE_EXT_CONN, params));
    }

    /**
     * SOL003 clause 5.4.11a: a rolling replacement of the VNF's replicas by those of the package with
     * {@code vnfdId}, which must be onboarded, of the same provider, product and VNF type, with the instance's flavour,
     * the same VDUs (roles and sizes: the VIM API cannot change a replica's size) and the same VNFC counts at the
     * instance's scale levels; the configuration, with {@code vnfConfigurableProperties} merged, must fit its schema.
     * Anything else → 422 before anything runs.
     */
    public LcmOpOccEntity changeVnfPkg(String id, ChangeCurrentVnfPkgRequest request) {
        changeable(get(id)); // 404 for an instance out of the caller's scope, whatever the body
        if (request == null || request.vnfdId() == null || request.vnfdId().isBlank()) {
            throw new InvalidRequestException("vnfdId is required");
        }
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> instantiatedIdle(changeable(get(id))));
        if (request.vnfdId().equals(seen.vnfdId())) {
            throw new UnprocessableContentException("VNF instance " + id + " is of the VNFD " + seen.vnfdId()
                    + " already");
        }
        VnfPackageInfo target = packageOf(request.vnfdId());
        VnfDescriptor now = configurations.descriptor(seen.vnfPkgId());
        VnfDescriptor next = configurations.descriptor(target.id());
        List<String> problems = PackageCompatibility.problems(seen, now, next);
        if (!problems.isEmpty()) {
            throw new UnprocessableContentException("VNF instance " + id + " cannot change to the VNFD "
                    + request.vnfdId() + ": " + String.join("; ", problems));
        }
        Map<String, Object> params = checkedChange(seen, target.id(), json.convertValue(request, MAP),
                "vnfConfigurableProperties");
        return QuarkusTransaction.requiringNew().call(() -> journal.open(instantiatedIdle(changeable(locked(id))),
                LcmOperationType.CHANGE_VNFPKG, params));
    }

    /**
     * A change of the configuration ({@code params[key]}, a JSON Merge Patch) checked against the schema of the
     * package {@code vnfPkgId} as the configuration would be after it, with its secrets opened: a secret the change
     * does not name stays as it was (a client cannot read it back to send it again), one it names is replaced, one it
     * sets to null is removed. Returns the parameters to keep, the change's secrets sealed.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> checkedChange(VnfInstanceEntity seen, String vnfPkgId, Map<String, Object> params,
            String key) {
        Map<String, Object> change = params.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        ConfigSecrets.refuseSealedInput(change, key);
        configurations.checkConfiguration(vnfPkgId,
                secrets.open(OperationStepper.MergePatch.apply(seen.vnfConfiguration(), change)), key);
        return secrets.sealUnder(params, key, configurations.secretPaths(vnfPkgId));
    }

    /**
     * The instance, locked for the rest of the transaction, for an operation to start on it: in the caller's scope
     * (404), changeable by the caller (409 for a VNF of an NS), instantiated with no operation open (409).
     */
    public VnfInstanceEntity lockForOperation(String id) {
        return instantiatedIdle(changeable(locked(id)));
    }

    /** Checks a scale-like request against the VNFD (422 naming the problem), then opens it. */
    private LcmOpOccEntity openChecked(String id, LcmOperationType type, Map<String, Object> params,
            boolean scaling) {
        VnfInstanceEntity seen = QuarkusTransaction.requiringNew().call(() -> instantiatedIdle(changeable(get(id))));
        if (scaling) {
            VnfDescriptor vnfd = configurations.descriptor(seen.vnfPkgId());
            if (vnfd.aspects().isEmpty()) {
                throw new UnprocessableContentException("the VNFD " + vnfd.vnfdId() + " declares no scaling aspect: "
                        + "this VNF does not scale");
            }
            ScalePlans.target(vnfd, type.name(), params, seen.scaleStatus());
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> journal.open(instantiatedIdle(changeable(locked(id))), type, params));
    }

    private VnfInstanceEntity instantiatedIdle(VnfInstanceEntity instance) {
        if (!instance.isInstantiated()) {
            throw new InstantiationStateConflictException(instance.id(), "NOT_INSTANTIATED",
                    "instantiate it first");
        }
        return idle(instance);
    }

    private VnfInstanceEntity idle(VnfInstanceEntity instance) {
        requireNoOpenOperation(instance.id());
        return instance;
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
