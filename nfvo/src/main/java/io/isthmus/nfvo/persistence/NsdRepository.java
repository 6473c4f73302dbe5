package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Every read is scoped by tenant; an empty scope (operator, service) sees all. */
@ApplicationScoped
public class NsdRepository implements PanacheRepositoryBase<NsdEntity, String> {

    public Optional<NsdEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<NsdEntity> listScoped(Optional<String> tenant) {
        return tenant.map(t -> list("tenant", Sort.by("createdAt"), t)).orElseGet(() -> listAll(Sort.by("createdAt")));
    }

    public Optional<NsdEntity> onboardedByNsdId(String nsdId, String tenant) {
        return find("nsdId = ?1 and tenant = ?2 and onboardingState = 'ONBOARDED'", nsdId, tenant)
                .firstResultOptional();
    }
}
