package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class NsInstanceRepository implements PanacheRepositoryBase<NsInstanceEntity, String> {

    public Optional<NsInstanceEntity> findScoped(String id, Optional<String> tenant) {
        return tenant.map(t -> find("id = ?1 and tenant = ?2", id, t).firstResultOptional())
                .orElseGet(() -> findByIdOptional(id));
    }

    public List<NsInstanceEntity> listScoped(Optional<String> tenant) {
        return tenant.map(t -> list("tenant", Sort.by("createdAt"), t)).orElseGet(() -> listAll(Sort.by("createdAt")));
    }

    public long countUsing(String nsdInfoId) {
        return count("nsdInfoId", nsdInfoId);
    }
}
