package io.isthmus.vim.driver.kubernetes;

/** What the desired state of a VNF's workloads depends on besides the plan. */
public record WorkloadSettings(String namespace, String image, String runtimeJar, int controlPort, int configPort,
        int dataPort) {
}
