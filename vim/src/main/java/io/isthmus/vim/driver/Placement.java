package io.isthmus.vim.driver;

/**
 * Where one replica of a component runs. Ports are those the component listens on (control and config for a slowpath,
 * data for a fastpath); {@code pid} is set for a local process, {@code resourceName} for a Kubernetes workload;
 * {@code fastpathId} is a local fastpath's {@code --id} (in Kubernetes each pod derives its own).
 */
public record Placement(String component, String role, int index, String host, Integer controlPort,
        Integer configPort, Integer dataPort, Long pid, String resourceName, Integer fastpathId) {

    public Placement(String component, String role, int index, String host, Integer controlPort, Integer configPort,
            Integer dataPort, Long pid, String resourceName) {
        this(component, role, index, host, controlPort, configPort, dataPort, pid, resourceName, null);
    }

    public boolean isSlowpath() {
        return ComponentPlan.SLOWPATH.equals(role);
    }

    /** {@code <component>-<index>}. */
    public String replicaName() {
        return component + "-" + index;
    }
}
