package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class NsInstanceRepository implements PanacheRepositoryBase<NsInstanceEntity, String> {

    /** SOL005 clause 6.4.2.3.2: what GET /ns_instances filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("NsInstance", "NsInstanceEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("nsInstanceName", "e.name"),
                    Attribute.string("nsInstanceDescription", "e.description"), Attribute.string("nsdId", "e.nsdId"),
                    Attribute.string("nsdInfoId", "e.nsdInfoId"), Attribute.string("flavourId", "e.flavourId"),
                    Attribute.enumeration("nsState", "e.nsState", NsState.class))
            .notFilterable("_links")
            .excludeByDefault("vnfInstance", "pnfInfo", "virtualLinkInfo", "vnffgInfo", "sapInfo", "nsScaleStatus",
                    "additionalAffinityOrAntiAffinityRules")
            .build();

    public Optional<NsInstanceEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the rows in the tenant scope (empty: every tenant's) that match the query's filter. */
    public SolPage<NsInstanceEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), NsInstanceEntity.class, tenant);
    }

    /** Every tenant's instantiated NS instances. */
    public List<NsInstanceEntity> instantiated() {
        return list("nsState", NsState.INSTANTIATED);
    }

    public long countUsing(String nsdInfoId) {
        return count("nsdInfoId", nsdInfoId);
    }
}
