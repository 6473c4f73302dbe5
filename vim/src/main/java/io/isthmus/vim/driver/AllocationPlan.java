package io.isthmus.vim.driver;

import java.util.List;

/** What a driver is asked to run: the components of one admitted allocation. */
public record AllocationPlan(String id, String tenantId, String vnfInstanceId, String vnfType,
        List<ComponentPlan> components) {

    public AllocationPlan {
        components = List.copyOf(components);
    }

    /** The one slowpath component every plan has (the service refuses plans without it). */
    public ComponentPlan slowpath() {
        return components.stream().filter(ComponentPlan::isSlowpath).findFirst()
                .orElseThrow(() -> new IllegalStateException("Allocation " + id + " has no slowpath component"));
    }

    public List<ComponentPlan> fastpaths() {
        return components.stream().filter(c -> !c.isSlowpath()).toList();
    }

    public int fastpathReplicas() {
        return fastpaths().stream().mapToInt(ComponentPlan::count).sum();
    }
}
