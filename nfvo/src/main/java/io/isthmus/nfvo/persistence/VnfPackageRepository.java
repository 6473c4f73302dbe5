package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class VnfPackageRepository implements PanacheRepositoryBase<VnfPackageEntity, String> {

    public List<VnfPackageEntity> list(Optional<String> vnfdId) {
        return vnfdId.map(v -> list("vnfdId", Sort.by("createdAt"), v)).orElseGet(() -> listAll(Sort.by("createdAt")));
    }

    public Optional<VnfPackageEntity> onboardedByVnfdId(String vnfdId) {
        return find("vnfdId = ?1 and onboardingState = 'ONBOARDED'", vnfdId).firstResultOptional();
    }
}
