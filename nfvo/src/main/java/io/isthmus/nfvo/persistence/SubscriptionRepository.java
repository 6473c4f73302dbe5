package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<SubscriptionEntity, String> {

    public Optional<SubscriptionEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<SubscriptionEntity> listScoped(Optional<String> tenant) {
        return tenant.map(t -> list("tenant", Sort.by("createdAt"), t)).orElseGet(() -> listAll(Sort.by("createdAt")));
    }

    public List<SubscriptionEntity> ofTenant(String tenant) {
        return list("tenant", tenant);
    }

    public Optional<SubscriptionEntity> byCallback(String tenant, String callbackUri) {
        return find("tenant = ?1 and callbackUri = ?2", tenant, callbackUri).firstResultOptional();
    }
}
