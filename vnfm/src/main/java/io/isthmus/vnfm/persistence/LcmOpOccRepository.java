package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** Operation occurrences: the API's reads (tenant-scoped) and the worker's queue. */
@ApplicationScoped
public class LcmOpOccRepository implements PanacheRepositoryBase<LcmOpOccEntity, String> {

    /** SOL003 v3.3.1 clause 5.4.12.3.2: what GET /vnf_lcm_op_occs filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("VnfLcmOpOcc", "LcmOpOccEntity", "startTime")
            .filter(Attribute.string("id", "e.id"),
                    Attribute.enumeration("operationState", "e.state", LcmOperationState.class),
                    Attribute.dateTime("stateEnteredTime", "e.stateEnteredTime"),
                    Attribute.dateTime("startTime", "e.startTime"),
                    Attribute.string("vnfInstanceId", "e.vnfInstanceId"), Attribute.string("grantId", "e.grantId"),
                    Attribute.enumeration("operation", "e.operation", LcmOperationType.class),
                    Attribute.bool("isAutomaticInvocation", "e.automaticInvocation"),
                    Attribute.bool("isCancelPending", "e.cancelPending"))
            .notFilterable("_links", "cancelMode", "lcmCoordinations", "modificationsTriggeredByVnfPkgChange",
                    "vnfSnapshotInfoId")
            .excludeByDefault("operationParams", "error", "resourceChanges", "changedInfo", "changedExtConnectivity")
            .build();

    static final List<LcmOperationState> CLOSED = List.of(LcmOperationState.COMPLETED,
            LcmOperationState.FAILED, LcmOperationState.ROLLED_BACK);
    private static final List<LcmOperationState> RUNNING = List.of(LcmOperationState.STARTING,
            LcmOperationState.PROCESSING, LcmOperationState.ROLLING_BACK);

    public Optional<LcmOpOccEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the operations in the tenant scope that match the query's filter. */
    public SolPage<LcmOpOccEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), LcmOpOccEntity.class, tenant);
    }

    /** The operation on this instance that is not closed yet (FAILED_TEMP counts: it may still be retried). */
    public Optional<LcmOpOccEntity> findOpen(String vnfInstanceId) {
        return find("vnfInstanceId = :id and state not in :closed",
                Parameters.with("id", vnfInstanceId).and("closed", CLOSED)).firstResultOptional();
    }

    /**
     * Ids of operations the worker may advance now, the longest waiting first: a step due and none in flight, or a
     * step in flight whose worker's lease ran out (its vnfm died: the operation goes FAILED_TEMP).
     */
    public List<String> dueIds(Instant now, int limit) {
        return getEntityManager().createQuery("select o.id from LcmOpOccEntity o where o.state in :running"
                + " and o.step <> :done and ((o.stepInFlight is null and o.nextAttemptAt <= :now)"
                + " or (o.stepInFlight is not null and o.leaseUntil < :now)) order by o.nextAttemptAt, o.id",
                String.class)
                .setParameter("running", RUNNING).setParameter("done", OperationStep.DONE).setParameter("now", now)
                .setMaxResults(limit).getResultList();
    }

    /** The operation a task request with this Idempotency-Key opened on the instance, in the caller's scope. */
    public Optional<LcmOpOccEntity> findByIdempotencyKey(String vnfInstanceId, String key, Optional<String> tenant) {
        Parameters p = Parameters.with("id", vnfInstanceId).and("key", key);
        return tenant.map(t -> find("vnfInstanceId = :id and idempotencyKey = :key and tenant = :tenant",
                p.and("tenant", t)).firstResultOptional())
                .orElseGet(() -> find("vnfInstanceId = :id and idempotencyKey = :key", p).firstResultOptional());
    }

    /** Extends the leases this vnfm holds on steps in flight (a bulk update: the operations' versions stay). */
    public int renewLeases(String owner, Instant until) {
        return getEntityManager().createQuery("update LcmOpOccEntity o set o.leaseUntil = :until"
                + " where o.leaseOwner = :owner and o.stepInFlight is not null")
                .setParameter("until", until).setParameter("owner", owner).executeUpdate();
    }
}
