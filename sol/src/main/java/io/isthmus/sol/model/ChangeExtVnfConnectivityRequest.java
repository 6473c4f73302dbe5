package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * SOL003 v3.3.1 clause 5.5.2.11 ChangeExtVnfConnectivityRequest. This platform's external connection points are VXLAN
 * endpoints: {@code additionalParams} carries the VNF configuration keys of its connection points (contracts.md "Next
 * hops"), {@code extVirtualLinks} is kept as given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeExtVnfConnectivityRequest(List<Map<String, Object>> extVirtualLinks,
        Map<String, Object> additionalParams) {
}
