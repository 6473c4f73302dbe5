package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.11a ChangeCurrentVnfPkgRequest (the attributes this platform uses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeCurrentVnfPkgRequest(@MaxLength(255) String vnfdId, Map<String, Object> additionalParams,
        Map<String, Object> extensions, Map<String, Object> vnfConfigurableProperties) {
}
