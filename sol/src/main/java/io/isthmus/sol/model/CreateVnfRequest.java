package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL003 clause 5.5.2.3 CreateVnfRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateVnfRequest(String vnfdId, String vnfInstanceName, String vnfInstanceDescription,
        Map<String, Object> metadata) {
}
