package io.isthmus.vim.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.isthmus.vim.persistence.CapacityPool;
import io.isthmus.vim.persistence.Resources;
import io.isthmus.vim.persistence.TenantQuota;

import io.isthmus.vimapi.model.QuotaView;

/** Whether an amount fits a tenant's quota and then a pool: a pure function of what they hold now. */
final class Admission {

    enum Refuser {
        QUOTA, CAPACITY
    }

    /** Who refused and why, in words a person can act on. */
    record Refusal(Refuser refuser, String reason) {
    }

    private Admission() {
    }

    static Optional<Refusal> evaluate(Resources ask, QuotaUsage quota, CapacityPool pool) {
        List<String> overQuota = new ArrayList<>();
        over(overQuota, "vcpus quota", ask.vcpus(), quota.vcpusUsed(), quota.vcpusLimit());
        over(overQuota, "memoryMb quota", ask.memoryMb(), quota.memoryMbUsed(), quota.memoryMbLimit());
        if (!overQuota.isEmpty()) {
            return Optional.of(new Refusal(Refuser.QUOTA, "Quota exceeded for tenant " + quota.tenantId() + ": "
                    + String.join("; ", overQuota)));
        }
        List<String> overCapacity = new ArrayList<>();
        over(overCapacity, "vcpus", ask.vcpus(), pool.vcpusUsed(), pool.vcpusTotal());
        over(overCapacity, "memoryMb", ask.memoryMb(), pool.memoryMbUsed(), pool.memoryMbTotal());
        if (!overCapacity.isEmpty()) {
            return Optional.of(new Refusal(Refuser.CAPACITY, "Capacity exhausted in pool " + pool.id() + ": "
                    + String.join("; ", overCapacity)));
        }
        return Optional.empty();
    }

    private static void over(List<String> refusals, String what, long asked, long used, long limit) {
        if (used + asked > limit) {
            refusals.add(what + ": " + asked + " requested, " + used + " of " + limit + " used");
        }
    }

    /** A tenant's quota with its effective limits: its own, or the default. */
    record QuotaUsage(String tenantId, int vcpusLimit, int vcpusUsed, long memoryMbLimit, long memoryMbUsed) {

        static QuotaUsage of(TenantQuota quota, int defaultVcpus, long defaultMemoryMb) {
            return new QuotaUsage(quota.tenantId(), quota.vcpusLimit(defaultVcpus), quota.vcpusUsed(),
                    quota.memoryMbLimit(defaultMemoryMb), quota.memoryMbUsed());
        }

        static QuotaUsage unused(String tenantId, int defaultVcpus, long defaultMemoryMb) {
            return new QuotaUsage(tenantId, defaultVcpus, 0, defaultMemoryMb, 0);
        }

        QuotaView view() {
            return new QuotaView(tenantId, vcpusLimit, vcpusUsed, memoryMbLimit, memoryMbUsed);
        }
    }
}
