package io.isthmus.vim.service;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An allocation as the VIM API shows it: one entry in {@code components} per running replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AllocationView(String id, String state, String stateReason, Instant stateEnteredTime, String driver,
        String zoneId, String tenantId, String vnfInstanceId, String vnfType, int vcpus, long memoryMb,
        List<Component> components) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(String name, String role, int index, String host, Ports ports, Long pid) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ports(Integer control, Integer config, Integer data) {
    }
}
