package io.isthmus.nfvo.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class NsVnfRepository implements PanacheRepositoryBase<NsVnfEntity, String> {

    public List<NsVnfEntity> ofNs(String nsInstanceId) {
        return list("nsInstanceId", Sort.by("vnfProfileId"), nsInstanceId);
    }

    public Optional<NsVnfEntity> byVnfInstance(String vnfInstanceId) {
        return find("vnfInstanceId", vnfInstanceId).firstResultOptional();
    }
}
