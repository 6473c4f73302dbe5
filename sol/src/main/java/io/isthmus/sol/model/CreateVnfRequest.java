package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL003 clause 5.5.2.3 CreateVnfRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateVnfRequest(@MaxLength(255) String vnfdId, @MaxLength(255) String vnfInstanceName,
        @MaxLength(1024) String vnfInstanceDescription,
        Map<String, Object> metadata) {
}
