package io.isthmus.vimapi.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /vim/v1/allocations}: run these components for one VNF instance; {@code id} is the client's. Numbers are
 * boxed so that the vim can tell a missing field from a zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AllocationRequest(String id, String tenantId, String vnfInstanceId, String vnfType, String driver,
        List<Component> components) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String name, String role, Integer count, Integer vcpus, Long memoryMb) {
    }
}
