package io.isthmus.vim.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.Replica;
import io.isthmus.vim.driver.ReplicaExited;
import io.isthmus.vim.driver.ReplicaHealth;
import io.isthmus.vim.persistence.Allocation;
import io.isthmus.vim.persistence.AllocationComponent;
import io.isthmus.vim.persistence.AllocationRepository;
import io.isthmus.vim.persistence.AllocationState;
import io.isthmus.vim.persistence.CapacityPool;
import io.isthmus.vim.persistence.CapacityPoolRepository;
import io.isthmus.vim.persistence.ComponentPlacement;
import io.isthmus.vim.persistence.ReplicaStatus;
import io.isthmus.vim.persistence.Resources;
import io.isthmus.vim.persistence.TenantQuota;
import io.isthmus.vim.persistence.TenantQuotaRepository;
import io.isthmus.vimapi.model.AllocationView;

/**
 * The transactions of changes to an ACTIVE allocation, around the driver's work: each change begins by checking and
 * (for a growth) charging, and ends by recording what the driver did. Rows are locked in the ledger's order (tenant
 * quota, allocation, pool).
 */
@ApplicationScoped
public class ChangeLedger {

    /** What a resize must do; {@code unchanged} when the component has the count already. */
    public record Resize(AllocationPlan plan, String driver, List<Placement> running, List<Placement> removed,
            List<Replica> added, boolean unchanged, AllocationView view) {
    }

    /** Replicas to stop, start or restart ({@code targets}), next to the replicas that run and stay. */
    public record ReplicaChange(AllocationPlan plan, String driver, List<Placement> running, List<Placement> targets,
            AllocationView view) {
    }

    private final AllocationRepository allocations;
    private final TenantQuotaRepository quotas;
    private final CapacityPoolRepository pools;
    private final VimConfig.Quota defaults;

    public ChangeLedger(AllocationRepository allocations, TenantQuotaRepository quotas, CapacityPoolRepository pools,
            VimConfig config) {
        this.allocations = allocations;
        this.quotas = quotas;
        this.pools = pools;
        this.defaults = config.quota();
    }

    /**
     * Checks a resize and, for a growth, charges the added replicas to quota and pool (409 when either refuses) and
     * hands out their indexes and fastpath ids; a shrink changes nothing yet.
     */
    @Transactional
    public Resize beginResize(String id, String name, int count, List<Integer> remove, Instant now) {
        TenantQuota quota = lockQuota(id, now);
        Allocation allocation = lockActive(id);
        AllocationComponent component = allocation.component(name)
                .orElseThrow(() -> new ReplicaNotFoundException(id, "component " + name));
        if (component.isSlowpath() && count != 1) {
            throw new InvalidChangeException(id, "a slowpath's count stays 1, not " + count);
        }
        List<ComponentPlacement> current = allocation.placements().stream()
                .filter(p -> p.componentName().equals(name))
                .sorted(Comparator.comparingInt(ComponentPlacement::replicaIndex)).toList();
        int replicas = current.size();
        List<Integer> named = remove == null ? List.of() : remove;
        if (count >= replicas && !named.isEmpty()) {
            throw new InvalidChangeException(id, "remove names replicas to stop only when " + name
                    + " shrinks; it has " + replicas + " and is to have " + count);
        }
        if (count == replicas) {
            return new Resize(null, allocation.driver(), List.of(), List.of(), List.of(), true,
                    AllocationMapping.view(allocation));
        }
        if (count > replicas) {
            requireRunningSlowpath(allocation, "grow " + name);
            Resources ask = component.replicaResources().times(count - replicas);
            CapacityPool pool = pools.lock(allocation.poolId());
            Admission.evaluate(ask, Admission.QuotaUsage.of(quota, defaults.defaultVcpus(),
                    defaults.defaultMemoryMb()), pool).ifPresent(refusal -> {
                        throw refusal.refuser() == Admission.Refuser.QUOTA
                                ? new QuotaExceededException(refusal.reason())
                                : new CapacityExhaustedException(refusal.reason());
                    });
            quota.charge(ask, now);
            pool.charge(ask);
            allocation.charge(ask);
            int added = count - replicas;
            int firstIndex = component.takeIndexes(added);
            Integer firstId = component.isSlowpath() ? null : allocation.takeFastpathIds(added);
            component.resize(count);
            ComponentPlan plan = AllocationMapping.plan(component);
            List<Replica> replicasToStart = new ArrayList<>();
            for (int i = 0; i < added; i++) {
                replicasToStart.add(new Replica(plan, firstIndex + i, firstId == null ? null : firstId + i));
            }
            return new Resize(AllocationMapping.plan(allocation), allocation.driver(), running(allocation, Set.of()),
                    List.of(), List.copyOf(replicasToStart), false, null);
        }
        List<Integer> indexes = named.isEmpty()
                ? current.subList(count, replicas).stream().map(ComponentPlacement::replicaIndex).toList()
                : named;
        Set<Integer> existing = new LinkedHashSet<>(current.stream().map(ComponentPlacement::replicaIndex).toList());
        List<Integer> unknown = indexes.stream().filter(i -> !existing.contains(i)).toList();
        if (indexes.size() != replicas - count || !unknown.isEmpty()) {
            throw new InvalidChangeException(id, "remove must name exactly " + (replicas - count) + " of the indexes "
                    + existing + " of " + name + (unknown.isEmpty() ? "" : "; it has no " + unknown));
        }
        List<ComponentPlacement> removed = current.stream().filter(p -> indexes.contains(p.replicaIndex())).toList();
        return new Resize(AllocationMapping.plan(allocation).withCount(name, count), allocation.driver(),
                running(allocation, Set.copyOf(removed)), AllocationMapping.placements(removed), List.of(), false,
                null);
    }

    /** The driver resized: the added replicas run, the removed ones are gone and release what they held. */
    @Transactional
    public AllocationView finishResize(String id, String name, int count, List<Placement> removed,
            List<Placement> added, Instant now) {
        TenantQuota quota = lockQuota(id, now);
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        AllocationComponent component = allocation.component(name).orElseThrow();
        if (!removed.isEmpty()) {
            Resources freed = component.replicaResources().times(removed.size());
            quota.release(freed, now);
            pools.lock(allocation.poolId()).release(freed);
            allocation.uncharge(freed);
            allocation.removePlacements(removed.stream()
                    .flatMap(p -> allocation.placement(p.component(), p.index()).stream()).toList());
            component.resize(count);
        }
        allocation.addPlacements(AllocationMapping.entities(added, now));
        return AllocationMapping.view(allocation);
    }

    /** A growth failed: what it charged is released and the count is as before (its indexes stay used). */
    @Transactional
    public void abandonGrowth(String id, String name, int previousCount, Instant now) {
        TenantQuota quota = lockQuota(id, now);
        allocations.lock(id).ifPresent(allocation -> allocation.component(name).ifPresent(component -> {
            Resources charged = component.replicaResources().times(component.replicas() - previousCount);
            quota.release(charged, now);
            pools.lock(allocation.poolId()).release(charged);
            allocation.uncharge(charged);
            component.resize(previousCount);
        }));
    }

    /** One replica to run again; a fastpath only next to a running slowpath. */
    @Transactional
    public ReplicaChange beginRestart(String id, String name, int index) {
        Allocation allocation = lockActive(id);
        ComponentPlacement replica = allocation.placement(name, index)
                .orElseThrow(() -> new ReplicaNotFoundException(id, "replica " + name + "-" + index));
        if (!replica.role().equals(ComponentPlan.SLOWPATH)) {
            requireRunningSlowpath(allocation, "restart " + replica.replicaName());
        }
        return new ReplicaChange(AllocationMapping.plan(allocation), allocation.driver(),
                running(allocation, Set.of(replica)), AllocationMapping.placements(List.of(replica)), null);
    }

    /**
     * The replicas to stop ({@code stop}: those RUNNING or FAILED) or to start (those STOPPED or FAILED) among
     * {@code names} ({@code <component>-<index>}; all when null); 422 naming what the allocation does not have.
     */
    @Transactional
    public ReplicaChange beginOperate(String id, boolean stop, Collection<String> names) {
        Allocation allocation = lockActive(id);
        List<ComponentPlacement> all = allocation.placements();
        List<ComponentPlacement> named = all;
        if (names != null) {
            List<String> unknown = names.stream().sorted()
                    .filter(n -> all.stream().noneMatch(p -> p.replicaName().equals(n))).toList();
            if (!unknown.isEmpty()) {
                throw new InvalidChangeException(id, "it has no replica " + String.join(", ", unknown)
                        + "; its replicas are " + all.stream().map(ComponentPlacement::replicaName).toList());
            }
            named = all.stream().filter(p -> names.contains(p.replicaName())).toList();
        }
        Set<ReplicaStatus> from = stop
                ? EnumSet.of(ReplicaStatus.RUNNING, ReplicaStatus.FAILED)
                : EnumSet.of(ReplicaStatus.STOPPED, ReplicaStatus.FAILED);
        List<ComponentPlacement> targets = named.stream().filter(p -> from.contains(p.status())).toList();
        if (!stop && targets.stream().anyMatch(p -> !p.role().equals(ComponentPlan.SLOWPATH))
                && targets.stream().noneMatch(p -> p.role().equals(ComponentPlan.SLOWPATH))) {
            requireRunningSlowpath(allocation, "start fastpaths");
        }
        return new ReplicaChange(AllocationMapping.plan(allocation), allocation.driver(),
                running(allocation, Set.copyOf(targets)), AllocationMapping.placements(targets),
                AllocationMapping.view(allocation));
    }

    /** The driver ran these replicas again, where the placements say. */
    @Transactional
    public AllocationView relaunched(String id, List<Placement> placements, String reason, Instant now) {
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        for (Placement p : placements) {
            allocation.placement(p.component(), p.index()).ifPresent(replica -> replica.relaunched(p.host(),
                    p.controlPort(), p.configPort(), p.dataPort(), p.pid(), p.resourceName(), reason, now));
        }
        return AllocationMapping.view(allocation);
    }

    /** These replicas were stopped on request, or did not run again ({@code status} STOPPED or FAILED). */
    @Transactional
    public AllocationView mark(String id, List<Placement> replicas, ReplicaStatus status, String reason, Instant now) {
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        for (Placement p : replicas) {
            allocation.placement(p.component(), p.index()).ifPresent(replica -> replica.mark(status, reason, now));
        }
        return AllocationMapping.view(allocation);
    }

    /** A replica exited unasked: FAILED, unless it was started again since (another pid) or is not RUNNING. */
    @Transactional
    public void exited(ReplicaExited exit, Instant now) {
        allocations.lock(exit.allocationId()).filter(a -> a.state() == AllocationState.ACTIVE)
                .flatMap(a -> a.placement(exit.component(), exit.index()))
                .filter(p -> p.pid() != null && p.pid() == exit.pid() && p.status() == ReplicaStatus.RUNNING)
                .ifPresent(p -> p.mark(ReplicaStatus.FAILED, exit.reason(), now));
    }

    /** What the platform says of replicas that should run (Kubernetes): FAILED while not ready, RUNNING again after. */
    @Transactional
    public void observed(String id, List<ReplicaHealth> health, Instant now) {
        allocations.lock(id).filter(a -> a.state() == AllocationState.ACTIVE).ifPresent(allocation -> {
            for (ReplicaHealth h : health) {
                allocation.placement(h.component(), h.index()).ifPresent(p -> {
                    if (!h.running() && p.status() == ReplicaStatus.RUNNING) {
                        p.mark(ReplicaStatus.FAILED, h.reason(), now);
                    } else if (h.running() && p.status() == ReplicaStatus.FAILED) {
                        p.mark(ReplicaStatus.RUNNING, "ready again", now);
                    }
                });
            }
        });
    }

    /**
     * The replicas of an ACTIVE allocation that should run (RUNNING or FAILED, not STOPPED on request) as
     * {@code running}, for a driver's look at them; empty for an allocation that is not ACTIVE.
     */
    @Transactional
    public Optional<ReplicaChange> shouldRun(String id) {
        return allocations.find(id).filter(a -> a.state() == AllocationState.ACTIVE)
                .map(a -> new ReplicaChange(AllocationMapping.plan(a), a.driver(),
                        AllocationMapping.placements(a.placements().stream()
                                .filter(p -> p.status() != ReplicaStatus.STOPPED).toList()),
                        List.of(), null));
    }

    private TenantQuota lockQuota(String id, Instant now) {
        String tenant = allocations.tenantOf(id).orElseThrow(() -> new AllocationNotFoundException(id));
        return quotas.lockOrCreate(tenant, now);
    }

    private Allocation lockActive(String id) {
        Allocation allocation = allocations.lock(id).orElseThrow(() -> new AllocationNotFoundException(id));
        if (allocation.state() != AllocationState.ACTIVE) {
            throw new AllocationNotActiveException(id, allocation.state());
        }
        return allocation;
    }

    private static void requireRunningSlowpath(Allocation allocation, String what) {
        allocation.placements().stream().filter(p -> p.role().equals(ComponentPlan.SLOWPATH))
                .filter(p -> p.status() != ReplicaStatus.RUNNING).findFirst().ifPresent(slowpath -> {
                    throw new ChangeRefusedException(allocation.id(), "cannot " + what + " while "
                            + slowpath.replicaName() + " is " + slowpath.status()
                            + ": fastpaths start only next to a running slowpath; start it first");
                });
    }

    /** The RUNNING replicas, but for {@code except}. */
    private static List<Placement> running(Allocation allocation, Set<ComponentPlacement> except) {
        return AllocationMapping.placements(allocation.placements().stream()
                .filter(p -> p.status() == ReplicaStatus.RUNNING && !except.contains(p)).toList());
    }
}
