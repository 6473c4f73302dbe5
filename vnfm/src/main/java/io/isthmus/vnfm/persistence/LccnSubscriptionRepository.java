package io.isthmus.vnfm.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** LCM subscriptions, scoped by the subscriber's tenant. */
@ApplicationScoped
public class LccnSubscriptionRepository implements PanacheRepositoryBase<LccnSubscriptionEntity, String> {

    public Optional<LccnSubscriptionEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = :id and tenant = :tenant", Parameters.with("id", id).and("tenant", t))
                .firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<LccnSubscriptionEntity> listScoped(Optional<String> tenant) {
        Sort order = Sort.by("createdAt").and("id");
        return tenant.map(t -> list("tenant", order, t)).orElseGet(() -> listAll(order));
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
