package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/**
 * SOL003 v3.3.1 clause 5.5.2.12 VnfInfoModificationRequest, the body of {@code PATCH} on a VNF instance (JSON Merge
 * Patch, RFC 7396, for the maps).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VnfInfoModificationRequest(@MaxLength(255) String vnfInstanceName,
        @MaxLength(1024) String vnfInstanceDescription, @MaxLength(255) String vnfdId,
        Map<String, Object> vnfConfigurableProperties, Map<String, Object> metadata, Map<String, Object> extensions) {
}
