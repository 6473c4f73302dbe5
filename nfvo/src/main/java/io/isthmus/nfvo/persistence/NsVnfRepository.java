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

    /** A VNF whose VnfInstance the VNFM notified a change of since it was last read. */
    public record StaleView(String id, String vnfInstanceId) {
    }

    /** The VNFs notified since their VnfInstance was last read, the longest waiting first. */
    public List<StaleView> staleViews(int limit) {
        return getEntityManager().createQuery("select new " + StaleView.class.getName()
                + "(v.id, v.vnfInstanceId) from NsVnfEntity v where v.vnfInstanceId is not null"
                + " and v.notifiedAt is not null and (v.vnfInstanceReadAt is null or v.notifiedAt >= v.vnfInstanceReadAt)"
                + " order by v.notifiedAt", StaleView.class).setMaxResults(limit).getResultList();
    }

    /**
     * Records that the VNFM notified a change of one of the VNF instance's operations, without loading the row (so the
     * engine's journal entries are not disturbed). False if the VNF instance is none of this NFVO's NS instances'.
     */
    public boolean notified(String vnfInstanceId, Instant at) {
        return update("notifiedAt = ?1 where vnfInstanceId = ?2", at, vnfInstanceId) > 0;
    }
}
