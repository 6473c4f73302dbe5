package io.isthmus.vnfm.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** VNF instances; every read a caller makes is scoped by its tenant (empty scope = every tenant). */
@ApplicationScoped
public class VnfInstanceRepository implements PanacheRepositoryBase<VnfInstanceEntity, String> {

    public Optional<VnfInstanceEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** The instance, locked until the transaction ends: operations on one instance start one at a time. */
    public Optional<VnfInstanceEntity> lockScoped(String id, Optional<String> tenant) {
        // locked as it is read (select ... for update): reading it first and locking it after would find the version
        // a concurrent request has just changed, and fail where it should wait
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE))
                .filter(i -> tenant.map(t -> t.equals(i.tenant())).orElse(true));
    }

    /** Instantiated instances with a desired configuration and no operation open: those the vnfm reconciles. */
    public List<VnfInstanceEntity> listSettled() {
        return list("from VnfInstanceEntity i where i.instantiationState = ?1 and i.vnfConfiguration is not null"
                + " and not exists (from LcmOpOccEntity o where o.vnfInstanceId = i.id and o.state not in ?2)"
                + " order by i.id", InstantiationState.INSTANTIATED, LcmOpOccRepository.CLOSED);
    }

    public List<VnfInstanceEntity> listScoped(Optional<String> tenant) {
        Sort order = Sort.by("createdAt").and("id");
        return tenant.map(t -> list("tenant", order, t)).orElseGet(() -> listAll(order));
    }
}
