package io.isthmus.vnfm.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** VNF instances; every read a caller makes is scoped by its tenant (empty scope = every tenant). */
@ApplicationScoped
public class VnfInstanceRepository implements PanacheRepositoryBase<VnfInstanceEntity, String> {

    /** SOL003 v3.3.1 clause 5.4.2.3.2: what GET /vnf_instances filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource
            .of("VnfInstance", "VnfInstanceEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("vnfInstanceName", "e.name"),
                    Attribute.string("vnfInstanceDescription", "e.description"),
                    Attribute.string("vnfdId", "e.vnfdId"), Attribute.string("vnfProvider", "e.vnfProvider"),
                    Attribute.string("vnfProductName", "e.vnfProductName"),
                    Attribute.string("vnfSoftwareVersion", "e.vnfSoftwareVersion"),
                    Attribute.string("vnfdVersion", "e.vnfdVersion"),
                    Attribute.enumeration("instantiationState", "e.instantiationState", InstantiationState.class),
                    Attribute.string("instantiatedVnfInfo/flavourId", "e.flavourId"),
                    Attribute.choice("instantiatedVnfInfo/vnfState", "e.vnfState", "STARTED", "STOPPED"),
                    Attribute.mapEntries("metadata", "e.metadata"))
            .notFilterable("_links")
            .excludeByDefault("vnfConfigurableProperties", "vimConnectionInfo", "instantiatedVnfInfo", "metadata",
                    "extensions")
            .build();

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

    /** The instance a create with this Idempotency-Key made for this tenant (null tenant: the platform's own). */
    public Optional<VnfInstanceEntity> findByIdempotencyKey(String tenant, String key) {
        return tenant == null
                ? find("idempotencyKey = ?1 and tenant is null", key).firstResultOptional()
                : find("idempotencyKey = ?1 and tenant = ?2", key, tenant).firstResultOptional();
    }

    /** Instantiated instances with no operation open: those whose VNFCs the vnfm watches. */
    public List<VnfInstanceEntity> listInstantiatedIdle() {
        return list("from VnfInstanceEntity i where i.instantiationState = ?1"
                + " and not exists (from LcmOpOccEntity o where o.vnfInstanceId = i.id and o.state not in ?2)"
                + " order by i.id", InstantiationState.INSTANTIATED, LcmOpOccRepository.CLOSED);
    }

    /** Instantiated instances with a desired configuration and no operation open: those the vnfm reconciles. */
    public List<VnfInstanceEntity> listSettled() {
        return list("from VnfInstanceEntity i where i.instantiationState = ?1 and i.vnfConfiguration is not null"
                + " and not exists (from LcmOpOccEntity o where o.vnfInstanceId = i.id and o.state not in ?2)"
                + " order by i.id", InstantiationState.INSTANTIATED, LcmOpOccRepository.CLOSED);
    }

    /** The instantiated instances in the tenant scope, by id: those that have VNF indicators to read. */
    public List<VnfInstanceEntity> listInstantiatedScoped(Optional<String> tenant) {
        return tenant.map(t -> list("instantiationState = ?1 and tenant = ?2 order by id",
                InstantiationState.INSTANTIATED, t))
                .orElseGet(() -> list("instantiationState = ?1 order by id", InstantiationState.INSTANTIATED));
    }

    /** One page of the instances in the tenant scope that match the query's filter. */
    public SolPage<VnfInstanceEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), VnfInstanceEntity.class, tenant);
    }
}
