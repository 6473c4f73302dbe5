package io.isthmus.nfvo.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The VNF instances the NFVO still has to remove from the VNFM. */
@ApplicationScoped
public class VnfLeftoverRepository implements PanacheRepositoryBase<VnfLeftoverEntity, String> {

    /**
     * Hands the VNFs {@code members} still have on the VNFM over to the reaper and clears them from the members: from
     * now on the NS has none, and the reaper removes them.
     */
    public int handOver(List<NsVnfEntity> members, String tenant, Instant now) {
        int handed = 0;
        for (NsVnfEntity member : members) {
            if (member.vnfInstanceId() != null) {
                if (findByIdOptional(member.vnfInstanceId()).isEmpty()) {
                    persist(VnfLeftoverEntity.of(member, tenant, now));
                }
                member.deleted();
                handed++;
            }
        }
        return handed;
    }
}
