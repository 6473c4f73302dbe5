package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** Operation occurrences: the API's reads (tenant-scoped) and the worker's queue. */
@ApplicationScoped
public class LcmOpOccRepository implements PanacheRepositoryBase<LcmOpOccEntity, String> {

    static final List<LcmOperationState> CLOSED = List.of(LcmOperationState.COMPLETED,
            LcmOperationState.FAILED, LcmOperationState.ROLLED_BACK);
    private static final List<LcmOperationState> RUNNING = List.of(LcmOperationState.STARTING,
            LcmOperationState.PROCESSING);

    public Optional<LcmOpOccEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<LcmOpOccEntity> listScoped(Optional<String> tenant) {
        Sort order = Sort.by("startTime").and("id");
        return tenant.map(t -> list("tenant", order, t)).orElseGet(() -> listAll(order));
    }

    /** The operation on this instance that is not closed yet (FAILED_TEMP counts: it may still be retried). */
    public Optional<LcmOpOccEntity> findOpen(String vnfInstanceId) {
        return find("vnfInstanceId = :id and state not in :closed",
                Parameters.with("id", vnfInstanceId).and("closed", CLOSED)).firstResultOptional();
    }

    /** Ids of operations the worker may advance now, the longest waiting first. */
    public List<String> dueIds(Instant now, int limit) {
        return getEntityManager().createQuery("select o.id from LcmOpOccEntity o where o.state in :running"
                + " and o.step <> :done and o.nextAttemptAt <= :now order by o.nextAttemptAt, o.id", String.class)
                .setParameter("running", RUNNING).setParameter("done", OperationStep.DONE).setParameter("now", now)
                .setMaxResults(limit).getResultList();
    }
}
