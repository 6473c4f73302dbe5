package io.isthmus.nfvo.persistence;

import java.time.Instant;
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

    /**
     * Records that the VNFM notified a change of one of the VNF instance's operations, without loading the row (so the
     * engine's journal entries are not disturbed). Returns the NS instance the VNF belongs to, if any.
     */
    public Optional<String> notified(String vnfInstanceId, Instant at) {
        int rows = update("notifiedAt = ?1 where vnfInstanceId = ?2", at, vnfInstanceId);
        if (rows == 0) {
            return Optional.empty();
        }
        return getEntityManager()
                .createQuery("select v.nsInstanceId from NsVnfEntity v where v.vnfInstanceId = :id", String.class)
                .setParameter("id", vnfInstanceId).getResultStream().findFirst();
    }
}
