package io.isthmus.vnfm.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;

/** VNF snapshots; every read a caller makes is scoped by its tenant (empty scope = every tenant). */
@ApplicationScoped
public class VnfSnapshotRepository implements PanacheRepositoryBase<VnfSnapshotEntity, String> {

    /** SOL003 v3.3.1 clause 5.4.23.3.2: what GET /vnf_snapshots filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("VnfSnapshotInfo", "VnfSnapshotEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("vnfSnapshot/vnfInstanceId", "e.vnfInstanceId"),
                    Attribute.string("vnfSnapshot/vnfdId", "e.vnfdId"))
            .notFilterable("_links", "vnfSnapshotPkgId")
            .excludeByDefault("vnfSnapshot", "vnfStateSnapshotInfo", "userDefinedData")
            .build();

    public Optional<VnfSnapshotEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** The snapshot, locked until the transaction ends. */
    public Optional<VnfSnapshotEntity> lockScoped(String id, Optional<String> tenant) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE))
                .filter(s -> tenant.map(t -> t.equals(s.tenant())).orElse(true));
    }

    public SolPage<VnfSnapshotEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), VnfSnapshotEntity.class, tenant);
    }
}
