package io.isthmus.nfvo.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The VNF instances of the VNFM by vnfdId, which a VNF package's usageState follows (table {@code vnf_usage}). Plain
 * SQL: a notification's upsert must not disturb a concurrent read-back.
 */
@ApplicationScoped
public class VnfUsageRepository {

    private final EntityManager em;

    public VnfUsageRepository(EntityManager em) {
        this.em = em;
    }

    /** The VNFM said the instance was created or deleted: read it back at the next pass. */
    public void notified(String vnfInstanceId, Instant at) {
        em.createNativeQuery("insert into vnf_usage (vnf_instance_id, notified_at) values (?1, ?2)"
                + " on conflict (vnf_instance_id) do update set notified_at = excluded.notified_at")
                .setParameter(1, vnfInstanceId).setParameter(2, at).executeUpdate();
    }

    /** Instances notified since they were last read back, the longest waiting first. */
    @SuppressWarnings("unchecked")
    public List<String> stale(int limit) {
        return em.createNativeQuery("select vnf_instance_id from vnf_usage where read_at is null"
                + " or notified_at >= read_at order by notified_at").setMaxResults(limit).getResultList();
    }

    /** The VNFM has the instance, of {@code vnfdId}, as read at {@code readAt}. */
    public void exists(String vnfInstanceId, String vnfdId, Instant readAt) {
        em.createNativeQuery("update vnf_usage set vnfd_id = ?2, read_at = ?3 where vnf_instance_id = ?1")
                .setParameter(1, vnfInstanceId).setParameter(2, vnfdId).setParameter(3, readAt).executeUpdate();
        syncPackage(vnfdId);
    }

    /** The VNFM does not know the instance (any more), as read at {@code readAt}. */
    @SuppressWarnings("unchecked")
    public void gone(String vnfInstanceId, Instant readAt) {
        List<String> vnfdIds = em.createNativeQuery("delete from vnf_usage where vnf_instance_id = ?1"
                + " and notified_at <= ?2 returning vnfd_id").setParameter(1, vnfInstanceId)
                .setParameter(2, readAt).getResultList();
        vnfdIds.forEach(this::syncPackage);
    }

    /** The usageState of the packages of {@code vnfdId} says again whether an instance of it exists. */
    private void syncPackage(String vnfdId) {
        if (vnfdId != null) {
            em.createNativeQuery("update vnf_package set usage_state = case when exists (select 1 from vnf_usage u"
                    + " where u.vnfd_id = ?1) then 'IN_USE' else 'NOT_IN_USE' end where vnfd_id = ?1")
                    .setParameter(1, vnfdId).executeUpdate();
        }
    }

    /** Whether a VNF instance of {@code vnfdId} exists on the VNFM, as far as the NFVO read back. */
    public boolean inUse(String vnfdId) {
        return vnfdId != null && !em.createNativeQuery("select 1 from vnf_usage where vnfd_id = ?1 limit 1")
                .setParameter(1, vnfdId).getResultList().isEmpty();
    }
}
