package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.21 CreateVnfSnapshotRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateVnfSnapshotRequest(@MaxLength(255) String vnfSnapshotInfoId, List<String> vnfcInstanceId,
        Map<String, Object> additionalParams, Map<String, Object> userDefinedData) {
}
