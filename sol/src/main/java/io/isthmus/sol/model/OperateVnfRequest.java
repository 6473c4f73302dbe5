package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.10 OperateVnfRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperateVnfRequest(List<String> vnfcInstanceId, @MaxLength(16) String changeStateTo,
        @MaxLength(16) String stopType, Integer gracefulStopTimeout, Map<String, Object> additionalParams) {
}
