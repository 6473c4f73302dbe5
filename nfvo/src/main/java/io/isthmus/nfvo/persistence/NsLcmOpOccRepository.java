package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class NsLcmOpOccRepository implements PanacheRepositoryBase<NsLcmOpOccEntity, String> {

    public Optional<NsLcmOpOccEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<NsLcmOpOccEntity> listScoped(Optional<String> tenant) {
        return tenant.map(t -> list("tenant", Sort.by("startTime"), t)).orElseGet(() -> listAll(Sort.by("startTime")));
    }

    /** The operations the engine has to drive, oldest first. */
    public List<String> openIds() {
        return getEntityManager()
                .createQuery("select o.id from NsLcmOpOccEntity o where o.state = :running and o.step <> :done"
                        + " order by o.startTime, o.id", String.class)
                .setParameter("running", LcmOperationState.PROCESSING).setParameter("done", NsOperationStep.DONE)
                .getResultList();
    }

    public Optional<NsLcmOpOccEntity> unfinishedOf(String nsInstanceId) {
        return find("nsInstanceId = ?1 and state in ?2", nsInstanceId,
                List.of(LcmOperationState.STARTING, LcmOperationState.PROCESSING, LcmOperationState.FAILED_TEMP,
                        LcmOperationState.ROLLING_BACK))
                .firstResultOptional();
    }

    public Optional<NsLcmOpOccEntity> latestOf(String nsInstanceId) {
        return find("nsInstanceId", Sort.descending("startTime"), nsInstanceId).firstResultOptional();
    }
}
