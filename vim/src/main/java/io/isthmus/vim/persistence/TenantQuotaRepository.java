package io.isthmus.vim.persistence;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class TenantQuotaRepository implements PanacheRepositoryBase<TenantQuota, String> {

    /**
     * The tenant's quota row, created with default limits if the tenant has none yet, and locked until the transaction
     * ends: every admission and release of one tenant queues here, so two of them cannot both fit the last vCPU.
     */
    public TenantQuota lockOrCreate(String tenantId, Instant now) {
        getEntityManager()
                .createNativeQuery("insert into tenant_quota (tenant_id, vcpus_used, memory_mb_used, updated_at)"
                        + " values (:tenant, 0, 0, :now) on conflict (tenant_id) do nothing")
                .setParameter("tenant", tenantId)
                .setParameter("now", now)
                .executeUpdate();
        return findById(tenantId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<TenantQuota> find(String tenantId) {
        return findByIdOptional(tenantId);
    }
}
