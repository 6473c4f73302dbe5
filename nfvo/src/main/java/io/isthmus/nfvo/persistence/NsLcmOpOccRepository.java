package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class NsLcmOpOccRepository implements PanacheRepositoryBase<NsLcmOpOccEntity, String> {

    /** SOL005 clause 6.4.9.3.2: what GET /ns_lcm_op_occs filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("NsLcmOpOcc", "NsLcmOpOccEntity", "startTime")
            .filter(Attribute.string("id", "e.id"),
                    Attribute.enumeration("operationState", "e.state", NsLcmOperationState.class),
                    Attribute.dateTime("statusEnteredTime", "e.stateEnteredTime"),
                    Attribute.string("nsInstanceId", "e.nsInstanceId"),
                    Attribute.choice("lcmOperationType", "e.operation",
                            Arrays.stream(NsOperationType.values()).map(Enum::name).toArray(String[]::new)),
                    Attribute.dateTime("startTime", "e.startTime"), Attribute.string("cancelMode", "e.cancelMode"),
                    Attribute.bool("isAutomaticInvocation", "e.automatic"))
            // isCancelPending is cancelMode's presence
            .notFilterable("_links", "isCancelPending")
            .excludeByDefault("operationParams", "error", "resourceChanges").build();

    public Optional<NsLcmOpOccEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the rows in the tenant scope (empty: every tenant's) that match the query's filter. */
    public SolPage<NsLcmOpOccEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), NsLcmOpOccEntity.class, tenant);
    }

    /** The operations the engine has to drive, oldest first. */
    public List<String> openIds() {
        return getEntityManager()
                .createQuery("select o.id from NsLcmOpOccEntity o where o.state = :running and o.step <> :done"
                        + " order by o.startTime, o.id", String.class)
                .setParameter("running", NsLcmOperationState.PROCESSING).setParameter("done", NsOperationStep.DONE)
                .getResultList();
    }

    public Optional<NsLcmOpOccEntity> unfinishedOf(String nsInstanceId) {
        return find("nsInstanceId = ?1 and state in ?2", nsInstanceId,
                List.of(NsLcmOperationState.PROCESSING, NsLcmOperationState.FAILED_TEMP,
                        NsLcmOperationState.ROLLING_BACK))
                .firstResultOptional();
    }

    /**
     * Asks the operation, if still PROCESSING with no cancel pending, to stop at its next step boundary. A bulk update,
     * so its version stays: the outcome of a step running meanwhile is still journaled, then the operation stops.
     */
    public boolean requestCancel(String id, String mode) {
        return update("cancelMode = ?1 where id = ?2 and state = ?3 and cancelMode is null", mode, id,
                NsLcmOperationState.PROCESSING) > 0;
    }

    public Optional<NsLcmOpOccEntity> latestOf(String nsInstanceId) {
        return find("nsInstanceId", Sort.descending("startTime"), nsInstanceId).firstResultOptional();
    }
}
