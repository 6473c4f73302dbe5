package io.isthmus.vimapi.model;

/** {@code POST /vim/v1/capacity-checks}: would this much fit the tenant's quota and the driver's pool now? */
public record CapacityCheckRequest(String tenantId, Integer vcpus, Long memoryMb, String driver) {
}
