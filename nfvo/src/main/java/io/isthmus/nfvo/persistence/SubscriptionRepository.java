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
public class SubscriptionRepository implements PanacheRepositoryBase<SubscriptionEntity, String> {

    /** SOL005 clause 6.4.16.3.2: GET /subscriptions filters on the subscription's scalars and has no selectors. */
    public static final ListedResource LISTED = ListedResource.of("LccnSubscription", "SubscriptionEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("callbackUri", "e.callbackUri"))
            .notFilterable("filter", "verbosity", "_links").noSelectors().build();

    public Optional<SubscriptionEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    /** One page of the rows in the tenant scope (empty: every tenant's) that match the query's filter. */
    public SolPage<SubscriptionEntity> pageScoped(SolQuery query, Optional<String> tenant) {
        return query.run(getEntityManager(), SubscriptionEntity.class, tenant);
    }

    public List<SubscriptionEntity> ofTenant(String tenant) {
        return list("tenant", tenant);
    }

    public Optional<SubscriptionEntity> byCallback(String tenant, String callbackUri) {
        return find("tenant = ?1 and callbackUri = ?2", tenant, callbackUri).firstResultOptional();
    }
}
