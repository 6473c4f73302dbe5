package io.isthmus.vim.driver;

/**
 * Where one replica of a component runs. Ports are those the component listens on (control and config for a slowpath,
 * data for a fastpath); {@code pid} is set for a local process, {@code resourceName} for a Kubernetes workload.
 */
public record Placement(String component, String role, int index, String host, Integer controlPort,
        Integer configPort, Integer dataPort, Long pid, String resourceName) {
}
