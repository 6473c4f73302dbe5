package io.isthmus.vnfm.service;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.model.CreateVnfSnapshotRequest;
import io.isthmus.sol.model.RevertToVnfSnapshotRequest;
import io.isthmus.sol.problem.ConflictException;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.lifecycle.OperationJournal;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotEntity;
import io.isthmus.vnfm.persistence.VnfSnapshotRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * VNF snapshots (SOL003 clauses 5.4.21–5.4.24): the "individual VNF snapshot" resources, and the operations that fill
 * one from a VNF instance (CREATE_SNAPSHOT) and give one back to its instance (REVERT_TO_SNAPSHOT). A snapshot is its
 * creator's tenant's; one made by the platform's services becomes the tenant's of the instance it is taken of.
 */
@ApplicationScoped
public class VnfSnapshotService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final VnfSnapshotRepository snapshots;
    private final LcmOpOccRepository ops;
    private final VnfInstanceService instances;
    private final OperationJournal journal;
    private final Caller caller;
    private final ObjectMapper json;
    private final Clock clock;

    public VnfSnapshotService(VnfSnapshotRepository snapshots, LcmOpOccRepository ops, VnfInstanceService instances,
            OperationJournal journal, Caller caller, ObjectMapper json, Clock clock) {
        this.snapshots = snapshots;
        this.ops = ops;
        this.instances = instances;
        this.journal = journal;
        this.caller = caller;
        this.json = json;
        this.clock = clock;
    }

    /** An empty snapshot resource, for create_snapshot to fill. */
    @Transactional
    public VnfSnapshotEntity create(CreateVnfSnapshotInfoRequest request) {
        if (request != null && (request.vnfSnapshotPkgId() != null || request.vnfSnapshot() != null)) {
            throw new UnprocessableContentException("VNF snapshot packages are not supported: create an empty VNF "
                    + "snapshot (no vnfSnapshotPkgId, no vnfSnapshot) and fill it with create_snapshot");
        }
        VnfSnapshotEntity snapshot = new VnfSnapshotEntity(UUID.randomUUID().toString(),
                caller.tenantScope().orElse(null), null, clock.instant());
        snapshots.persist(snapshot);
        return snapshot;
    }

    @Transactional
    public SolPage<VnfSnapshotEntity> list(SolQuery query) {
        return snapshots.pageScoped(query, caller.tenantScope());
    }

    @Transactional
    public VnfSnapshotEntity get(String id) {
        return snapshots.findScoped(id, caller.tenantScope()).orElseThrow(() -> new VnfSnapshotNotFoundException(id));
    }

    /** SOL003 clause 5.4.24.3.5: gone, unless an operation is filling it now (409). */
    @Transactional
    public void delete(String id) {
        VnfSnapshotEntity snapshot = snapshots.lockScoped(id, caller.tenantScope())
                .orElseThrow(() -> new VnfSnapshotNotFoundException(id));
        requireNotBeingTaken(snapshot);
        snapshots.delete(snapshot);
    }

    /** SOL003 clause 5.4.21: CREATE_SNAPSHOT of the instance into an empty snapshot resource. */
    public LcmOpOccEntity createSnapshot(String vnfInstanceId, CreateVnfSnapshotRequest request) {
        instances.changeable(instances.get(vnfInstanceId)); // 404 for an instance out of scope, whatever the body
        String snapshotId = snapshotIdOf(request == null ? null : request.vnfSnapshotInfoId());
        if (request.vnfcInstanceId() != null) {
            throw new UnprocessableContentException("snapshots of single VNFCs are not supported: a VNF snapshot "
                    + "holds the whole VNF's configuration and state (no vnfcInstanceId)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instances.lockForOperation(vnfInstanceId);
            VnfSnapshotEntity snapshot = usable(snapshotId, instance);
            if (snapshot.isTaken()) {
                throw new ConflictException("VNF snapshot " + snapshotId + " holds a snapshot already (of VNF "
                        + "instance " + snapshot.vnfInstanceId() + "); create another VNF snapshot to take a new one");
            }
            requireNotBeingTaken(snapshot);
            LcmOpOccEntity op = journal.open(instance, LcmOperationType.CREATE_SNAPSHOT,
                    json.convertValue(request, MAP));
            snapshot.reserve(op.id());
            return op;
        });
    }

    /** SOL003 clause 5.4.22: REVERT_TO_SNAPSHOT of the instance to one of its own snapshots. */
    public LcmOpOccEntity revert(String vnfInstanceId, RevertToVnfSnapshotRequest request) {
        instances.changeable(instances.get(vnfInstanceId)); // 404 for an instance out of scope, whatever the body
        String snapshotId = snapshotIdOf(request == null ? null : request.vnfSnapshotInfoId());
        if (request.vnfcInstanceId() != null || request.vnfcSnapshotInfoId() != null) {
            throw new UnprocessableContentException("reverting single VNFCs is not supported: a VNF snapshot is "
                    + "given back whole (no vnfcInstanceId, no vnfcSnapshotInfoId)");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            VnfInstanceEntity instance = instances.lockForOperation(vnfInstanceId);
            VnfSnapshotEntity snapshot = usable(snapshotId, instance);
            if (!snapshot.isTaken()) {
                throw new ConflictException("VNF snapshot " + snapshotId + " holds no snapshot yet: create_snapshot "
                        + "fills it first");
            }
            if (!vnfInstanceId.equals(snapshot.vnfInstanceId())) {
                throw new UnprocessableContentException("VNF snapshot " + snapshotId + " was taken of VNF instance "
                        + snapshot.vnfInstanceId() + "; a VNF instance reverts to its own snapshots only");
            }
            return journal.open(instance, LcmOperationType.REVERT_TO_SNAPSHOT, json.convertValue(request, MAP));
        });
    }

    private static String snapshotIdOf(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidRequestException("vnfSnapshotInfoId is required");
        }
        return id;
    }

    /** The snapshot named in a request body: in the caller's scope and of the instance's tenant, else 422. */
    private VnfSnapshotEntity usable(String snapshotId, VnfInstanceEntity instance) {
        VnfSnapshotEntity snapshot = snapshots.lockScoped(snapshotId, caller.tenantScope())
                .filter(s -> s.tenant() == null || s.tenant().equals(instance.tenant()))
                .orElseThrow(() -> new UnprocessableContentException("vnfSnapshotInfoId " + snapshotId
                        + " names no VNF snapshot of this VNF instance's tenant"));
        return snapshot;
    }

    private void requireNotBeingTaken(VnfSnapshotEntity snapshot) {
        if (snapshot.takingOpId() == null) {
            return;
        }
        LcmOpOccEntity taking = ops.findById(snapshot.takingOpId());
        if (taking != null && !taking.state().isFinal()) {
            throw new ConflictException("VNF snapshot " + snapshot.id() + " is being taken by operation "
                    + taking.id() + " (" + taking.state() + ")");
        }
    }
}
