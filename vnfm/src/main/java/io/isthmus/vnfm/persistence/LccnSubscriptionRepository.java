package io.isthmus.vnfm.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** LCM subscriptions, scoped by the subscriber's tenant. */
@ApplicationScoped
public class LccnSubscriptionRepository implements PanacheRepositoryBase<LccnSubscriptionEntity, String> {

    /** SOL003 clause 5.4.18.3.2: GET /subscriptions filters on the subscription's scalars and has no selectors. */
    public static final ListedResource LISTED = ListedResource
            .of("LccnSubscription", "LccnSubscriptionEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("callbackUri", "e.callbackUri"))
            .notFilterable("filter", "verbosity", "_links").noSelectors().build();

    public Optional<LccnSubscriptionEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the subscriptions in the tenant scope that match the query's filter. */
    public SolPage<LccnSubscriptionEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), LccnSubscriptionEntity.class, tenant);
    }

    /** The subscription of this subscriber (same tenant scope) to this callback URI, if any. */
    public Optional<LccnSubscriptionEntity> findByCallback(String callbackUri, Optional<String> tenant) {
        return tenant.map(t -> find("callbackUri = :uri and tenant = :tenant",
                Parameters.with("uri", callbackUri).and("tenant", t)).firstResultOptional())
                .orElseGet(() -> find("callbackUri = :uri and tenant is null", Parameters.with("uri", callbackUri))
                        .firstResultOptional());
    }

    /** Subscriptions that may hear about a VNF instance of this tenant: the tenant's own and the unscoped ones. */
    public List<LccnSubscriptionEntity> listHearing(String instanceTenant) {
        if (instanceTenant == null) {
            return list("tenant is null", Sort.by("createdAt"));
        }
        return list("tenant is null or tenant = ?1", Sort.by("createdAt"), instanceTenant);
    }
}
