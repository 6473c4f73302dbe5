package io.isthmus.vim.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.persistence.Allocation;
import io.isthmus.vim.persistence.AllocationRepository;
import io.isthmus.vim.persistence.AllocationState;
import io.isthmus.vim.persistence.CapacityPool;
import io.isthmus.vim.persistence.CapacityPoolRepository;
import io.isthmus.vim.persistence.Resources;
import io.isthmus.vim.persistence.TenantQuota;
import io.isthmus.vim.persistence.TenantQuotaRepository;

import io.isthmus.vimapi.model.AllocationView;

/**
 * The accounting of allocations, one transaction per step: an allocation charges its pool and its tenant's quota when
 * it is admitted and releases both exactly once, when it reaches STOPPED. Rows are locked in one order (tenant quota,
 * allocation, pool), so concurrent steps queue instead of deadlocking.
 */
@ApplicationScoped
public class AllocationLedger {

    /** What a create found: a new allocation to start, or the one that already has this id. */
    public record Reservation(boolean created, AllocationView allocation) {
    }

    /** What a stop must stop; {@code running} is false when nothing runs any more. */
    public record Stop(AllocationPlan plan, List<Placement> placements, String driver, boolean running) {
    }

    private static final List<AllocationState> HOLDING = List.of(AllocationState.STARTING, AllocationState.ACTIVE,
            AllocationState.STOPPING);

    private final AllocationRepository allocations;
    private final TenantQuotaRepository quotas;
    private final CapacityPoolRepository pools;
    private final VimConfig.Quota defaults;

    public AllocationLedger(AllocationRepository allocations, TenantQuotaRepository quotas,
            CapacityPoolRepository pools, VimConfig config) {
        this.allocations = allocations;
        this.quotas = quotas;
        this.pools = pools;
        this.defaults = config.quota();
    }

    /**
     * Admits a new allocation and charges it (STARTING), or returns the existing one with this id; one that is STOPPED
     * is admitted again.
     */
    @Transactional
    public Reservation reserve(AllocationPlan plan, String driver, Instant now) {
        TenantQuota quota = quotas.lockOrCreate(plan.tenantId(), now);
        Optional<Allocation> existing = allocations.find(plan.id());
        if (existing.isPresent()) {
            List<String> differences = AllocationMapping.differences(existing.get(), plan, driver);
            if (!differences.isEmpty()) {
                throw new AllocationIdConflictException(plan.id(), String.join(", ", differences));
            }
            if (existing.get().state() != AllocationState.STOPPED) {
                return new Reservation(false, AllocationMapping.view(existing.get()));
            }
            // stopped with the VIM: asking for it again starts it again
            allocations.delete(existing.get());
            allocations.flush();
        }
        CapacityPool pool = pools.lockByDriver(driver).filter(CapacityPool::enabled)
                .orElseThrow(() -> new IllegalStateException("No enabled capacity pool for driver " + driver));
        Allocation allocation = new Allocation(plan.id(), plan.tenantId(), plan.vnfInstanceId(), plan.vnfType(),
                driver, pool.id(), AllocationMapping.components(plan), plan.configSecret(), now);
        Resources ask = allocation.charged();
        Admission.evaluate(ask, Admission.QuotaUsage.of(quota, defaults.defaultVcpus(), defaults.defaultMemoryMb()),
                pool).ifPresent(refusal -> {
                    throw refusal.refuser() == Admission.Refuser.QUOTA
                            ? new QuotaExceededException(refusal.reason())
                            : new CapacityExhaustedException(refusal.reason());
                });
        quota.charge(ask, now);
        pool.charge(ask);
        try {
            allocations.persist(allocation);
            allocations.flush();
        } catch (PersistenceException e) {
            throw new AllocationIdConflictException(plan.id(), "request, created at the same moment");
        }
        return new Reservation(true, AllocationMapping.view(allocation));
    }

    /** The driver started everything: STARTING → ACTIVE, with where each replica runs. */
    @Transactional
    public AllocationView activate(String id, List<Placement> placements, Instant now) {
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        allocation.transition(AllocationState.ACTIVE, "all components ready", now);
        allocation.place(AllocationMapping.entities(placements, now));
        return AllocationMapping.view(allocation);
    }

    /** A start failed: release what it held and forget it, so the client may try the same id again. */
    @Transactional
    public void discard(String id, String reason, Instant now) {
        lockWithQuota(id, now).ifPresent(locked -> {
            release(locked, reason, now);
            allocations.delete(locked.allocation());
        });
    }

    /** ACTIVE → STOPPING (a STOPPING one is stopped again); says what the driver must stop. */
    @Transactional
    public Stop beginStop(String id, Instant now) {
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        if (allocation.state() != AllocationState.STOPPING && allocation.state() != AllocationState.STOPPED) {
            // a STARTING one is refused here (409): its start must finish first
            allocation.transition(AllocationState.STOPPING, "release requested", now);
        }
        return stop(allocation);
    }

    /** The driver stopped it: release what it held and delete it. */
    @Transactional
    public void remove(String id, Instant now) {
        LockedAllocation locked = lockWithQuota(id, now).orElseThrow(() -> new AllocationNotFoundException(id));
        release(locked, "released", now);
        allocations.delete(locked.allocation());
    }

    /** Nothing runs any more (the VIM stopped its processes): release what it held and keep it as STOPPED. */
    @Transactional
    public void markStopped(String id, String reason, Instant now) {
        lockWithQuota(id, now).ifPresent(locked -> release(locked, reason, now));
    }

    @Transactional
    public List<String> holdingIds(String driver) {
        return allocations.idsByDriverIn(driver, HOLDING);
    }

    @Transactional
    public Optional<Stop> stopOf(String id) {
        return allocations.find(id).map(AllocationLedger::stop);
    }

    @Transactional
    public AllocationView view(String id) {
        return allocations.find(id).map(AllocationMapping::view).orElseThrow(() -> new AllocationNotFoundException(id));
    }

    private record LockedAllocation(TenantQuota quota, Allocation allocation) {
    }

    private Optional<LockedAllocation> lockWithQuota(String id, Instant now) {
        return allocations.tenantOf(id).flatMap(tenant -> {
            TenantQuota quota = quotas.lockOrCreate(tenant, now);
            return allocations.lock(id).map(allocation -> new LockedAllocation(quota, allocation));
        });
    }

    private void release(LockedAllocation locked, String reason, Instant now) {
        Allocation allocation = locked.allocation();
        if (allocation.state().holdsResources()) {
            locked.quota().release(allocation.charged(), now);
            pools.lock(allocation.poolId()).release(allocation.charged());
            allocation.transition(AllocationState.STOPPED, reason, now);
            allocation.place(List.of()); // nothing runs any more
        }
    }

    private static Stop stop(Allocation allocation) {
        return new Stop(AllocationMapping.plan(allocation), AllocationMapping.placements(allocation),
                allocation.driver(), allocation.state() != AllocationState.STOPPED);
    }
}
