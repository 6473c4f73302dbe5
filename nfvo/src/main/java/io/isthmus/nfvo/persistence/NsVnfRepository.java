package io.isthmus.nfvo.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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

    /** A VNF of an NS whose data-plane counters are read: {@code id} of the NS's VNF, its VNF instance. */
    public record CountedVnf(String id, String vnfInstanceId) {
    }

    /**
     * The VNFs whose counters are read and shown: instantiated (as the VnfInstance last read says) in an instantiated
     * NS.
     */
    private static final String COUNTED = " from ns_vnf v join ns_instance n on n.id = v.ns_instance_id"
            + " where n.ns_state = 'INSTANTIATED' and v.vnf_instance_id is not null"
            + " and cast(v.vnf_instance as jsonb) ->> 'instantiationState' = 'INSTANTIATED'";

    /** The VNFs whose data-plane counters are read now. */
    @SuppressWarnings("unchecked")
    public List<CountedVnf> counted() {
        List<Object[]> rows = getEntityManager()
                .createNativeQuery("select v.id, v.vnf_instance_id" + COUNTED + " order by v.id").getResultList();
        return rows.stream().map(r -> new CountedVnf((String) r[0], (String) r[1])).toList();
    }

    /**
     * Keeps the counters read at {@code readAt} as the VNF's, if it still has that VNF instance (a VNF removed or
     * replaced meanwhile keeps none) and no later reading is kept.
     */
    public void recordCounters(CountedVnf vnf, long packets, long bytes, long drops, Instant readAt) {
        getEntityManager().createNativeQuery("insert into vnf_counters"
                + " (ns_vnf_id, vnf_instance_id, packets, bytes, drops, read_at)"
                + " select id, vnf_instance_id, ?3, ?4, ?5, ?6 from ns_vnf where id = ?1 and vnf_instance_id = ?2"
                + " on conflict (ns_vnf_id) do update set vnf_instance_id = excluded.vnf_instance_id,"
                + " packets = excluded.packets, bytes = excluded.bytes, drops = excluded.drops,"
                + " read_at = excluded.read_at where vnf_counters.read_at <= excluded.read_at")
                .setParameter(1, vnf.id()).setParameter(2, vnf.vnfInstanceId()).setParameter(3, packets)
                .setParameter(4, bytes).setParameter(5, drops).setParameter(6, readAt).executeUpdate();
    }

    /**
     * Drops the counters of VNFs no longer counted: terminated, of an NS terminated, or whose NS's VNF has another VNF
     * instance or none now (the NS's VNF itself gone takes its counters with it).
     */
    public void forgetUncountedCounters() {
        getEntityManager().createNativeQuery("delete from vnf_counters c where not exists (select 1" + COUNTED
                + " and v.id = c.ns_vnf_id and v.vnf_instance_id = c.vnf_instance_id)").executeUpdate();
    }

    /** The last counters of the NS's VNFs, by VNF instance: of the VNF instances its VNFs have now only. */
    public Map<String, VnfCountersEntity> countersOf(String nsInstanceId) {
        return getEntityManager().createQuery("select c from VnfCountersEntity c, NsVnfEntity v"
                + " where v.id = c.nsVnfId and v.vnfInstanceId = c.vnfInstanceId and v.nsInstanceId = ?1",
                VnfCountersEntity.class).setParameter(1, nsInstanceId).getResultStream()
                .collect(Collectors.toMap(c -> c.vnfInstanceId, c -> c));
    }
}
