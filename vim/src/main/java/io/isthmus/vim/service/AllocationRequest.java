package io.isthmus.vim.service;

import java.util.List;

/** {@code POST /vim/v1/allocations}: run these components for one VNF instance; {@code id} is the client's. */
public record AllocationRequest(String id, String tenantId, String vnfInstanceId, String vnfType, String driver,
        List<Component> components) {

    public record Component(String name, String role, Integer count, Integer vcpus, Long memoryMb) {
    }
}
