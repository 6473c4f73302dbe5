package io.isthmus.vim.driver;

import java.util.List;

/**
 * What a driver is asked to run: the components of one admitted allocation.
 *
 * @param configSecret the bearer token the slowpath's config endpoint will ask for (the VNF process contract's
 *            {@code ISTHMUS_CONFIG_SECRET}); null when the plan is not started (a stop)
 */
public record AllocationPlan(String id, String tenantId, String vnfInstanceId, String vnfType,
        List<ComponentPlan> components, String configSecret) {

    public AllocationPlan {
        components = List.copyOf(components);
    }

    public AllocationPlan(String id, String tenantId, String vnfInstanceId, String vnfType,
            List<ComponentPlan> components) {
        this(id, tenantId, vnfInstanceId, vnfType, components, null);
    }

    /** The same plan with a config secret for its slowpath. */
    public AllocationPlan withConfigSecret(String secret) {
        return new AllocationPlan(id, tenantId, vnfInstanceId, vnfType, components, secret);
    }

    /** The one slowpath component every plan has (the service refuses plans without it). */
    public ComponentPlan slowpath() {
        return components.stream().filter(ComponentPlan::isSlowpath).findFirst()
                .orElseThrow(() -> new IllegalStateException("Allocation " + id + " has no slowpath component"));
    }

    /** The same plan with component {@code name} at {@code count} replicas. */
    public AllocationPlan withCount(String name, int count) {
        return new AllocationPlan(id, tenantId, vnfInstanceId, vnfType, components.stream()
                .map(c -> c.name().equals(name)
                        ? new ComponentPlan(c.name(), c.role(), count, c.vcpus(), c.memoryMb())
                        : c)
                .toList(), configSecret);
    }

    public ComponentPlan component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Allocation " + id + " has no component " + name));
    }

    public List<ComponentPlan> fastpaths() {
        return components.stream().filter(c -> !c.isSlowpath()).toList();
    }

    public int fastpathReplicas() {
        return fastpaths().stream().mapToInt(ComponentPlan::count).sum();
    }
}
