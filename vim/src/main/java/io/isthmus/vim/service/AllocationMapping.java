package io.isthmus.vim.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.persistence.Allocation;
import io.isthmus.vim.persistence.AllocationComponent;
import io.isthmus.vim.persistence.ComponentPlacement;

import io.isthmus.vimapi.model.AllocationView;

/** Between the allocation as stored, as a driver sees it, and as the API shows it. */
final class AllocationMapping {

    private AllocationMapping() {
    }

    static List<AllocationComponent> components(AllocationPlan plan) {
        List<ComponentPlan> components = plan.components();
        return IntStream.range(0, components.size())
                .mapToObj(i -> {
                    ComponentPlan c = components.get(i);
                    return new AllocationComponent(i, c.name(), c.role(), c.count(), c.vcpus(), c.memoryMb());
                })
                .toList();
    }

    static AllocationPlan plan(Allocation allocation) {
        return new AllocationPlan(allocation.id(), allocation.tenantId(), allocation.vnfInstanceId(),
                allocation.vnfType(),
                allocation.components().stream().map(AllocationMapping::plan).toList(),
                allocation.configSecret());
    }

    static ComponentPlan plan(AllocationComponent c) {
        return new ComponentPlan(c.name(), c.role(), c.replicas(), c.vcpus(), c.memoryMb());
    }

    static List<Placement> placements(Allocation allocation) {
        return placements(allocation.placements());
    }

    static List<Placement> placements(List<ComponentPlacement> placements) {
        return placements.stream()
                .map(p -> new Placement(p.componentName(), p.role(), p.replicaIndex(), p.host(), p.controlPort(),
                        p.configPort(), p.dataPort(), p.pid(), p.resourceName(), p.fastpathId()))
                .toList();
    }

    /** Replicas that run from {@code now} on. */
    static List<ComponentPlacement> entities(List<Placement> placements, Instant now) {
        return placements.stream()
                .map(p -> new ComponentPlacement(p.component(), p.role(), p.index(), p.host(), p.controlPort(),
                        p.configPort(), p.dataPort(), p.pid(), p.resourceName(), p.fastpathId(), now))
                .toList();
    }

    static AllocationView view(Allocation a) {
        return new AllocationView(a.id(), a.state().name(), a.stateReason(), a.stateEnteredAt(), a.driver(),
                a.poolId(), a.tenantId(), a.vnfInstanceId(), a.vnfType(), a.charged().vcpus(),
                a.charged().memoryMb(),
                a.placements().stream()
                        .map(p -> new AllocationView.Component(p.componentName(), p.role(), p.replicaIndex(),
                                p.host(), new AllocationView.Ports(p.controlPort(), p.configPort(), p.dataPort()),
                                p.pid(), p.fastpathId(), p.status().name(), p.statusReason(), p.statusAt()))
                        .toList(),
                a.configSecret());
    }

    /** What differs between a stored allocation and a request for the same id; empty when they agree. */
    static List<String> differences(Allocation stored, AllocationPlan plan, String driver) {
        List<String> differences = new ArrayList<>();
        if (!stored.tenantId().equals(plan.tenantId())) {
            differences.add("tenantId");
        }
        if (!stored.vnfInstanceId().equals(plan.vnfInstanceId())) {
            differences.add("vnfInstanceId");
        }
        if (!stored.vnfType().equals(plan.vnfType())) {
            differences.add("vnfType");
        }
        if (!stored.driver().equals(driver)) {
            differences.add("driver");
        }
        if (!plan(stored).components().equals(plan.components())) {
            differences.add("components");
        }
        return differences;
    }
}
