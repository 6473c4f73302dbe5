package io.isthmus.nfvo.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Every read is scoped by tenant; an empty scope (operator, service) sees all. */
@ApplicationScoped
public class NsdRepository implements PanacheRepositoryBase<NsdEntity, String> {

    /** SOL005 clause 5.4.2.3.2: what GET /ns_descriptors filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("NsdInfo", "NsdEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("nsdId", "e.nsdId"),
                    Attribute.string("nsdName", "e.nsdName"), Attribute.string("nsdVersion", "e.nsdVersion"),
                    Attribute.string("nsdDesigner", "e.nsdDesigner"),
                    Attribute.string("nsdInvariantId", "e.nsdInvariantId"),
                    Attribute.choice("nsdOnboardingState", "e.onboardingState", VnfPackageRepository.ONBOARDING),
                    Attribute.choice("nsdOperationalState", "e.operationalState", "ENABLED", "DISABLED"),
                    Attribute.choice("nsdUsageState", "e.usageState", "IN_USE", "NOT_IN_USE"))
            // vnfPkgIds is read from the NSD's content, not a column
            .notFilterable("_links", "vnfPkgIds", "pnfdInfoIds", "nestedNsdInfoIds")
            .excludeByDefault("userDefinedData", "onboardingFailureDetails").build();

    public Optional<NsdEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the rows in the tenant scope (empty: every tenant's) that match the query's filter. */
    public SolPage<NsdEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), NsdEntity.class, tenant);
    }

    public Optional<NsdEntity> onboardedByNsdId(String nsdId, String tenant) {
        return find("nsdId = ?1 and tenant = ?2 and onboardingState = 'ONBOARDED'", nsdId, tenant)
                .firstResultOptional();
    }
}
