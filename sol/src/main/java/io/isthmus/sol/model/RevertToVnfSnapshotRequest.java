package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.20 RevertToVnfSnapshotRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevertToVnfSnapshotRequest(@MaxLength(255) String vnfSnapshotInfoId,
        @MaxLength(255) String vnfcInstanceId,
        @MaxLength(255) String vnfcSnapshotInfoId, Map<String, Object> additionalParams) {
}
