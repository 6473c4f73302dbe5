package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/**
 * SOL003 v3.3.1 clause 5.5.2.9 HealVnfRequest. {@code vnfcInstanceId} names the VNFCs to heal (all when absent);
 * {@code additionalParams.healMode} is {@code RESTART} (in place, the default) or {@code REPLACE} (new resources).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealVnfRequest(List<String> vnfcInstanceId, @MaxLength(1024) String cause,
        Map<String, Object> additionalParams, @MaxLength(1024) String healScript) {
}
