package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL003 clause 5.5.2.4 InstantiateVnfRequest (the attributes this platform uses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstantiateVnfRequest(@MaxLength(64) String flavourId, @MaxLength(64) String instantiationLevelId,
        Map<String, Object> additionalParams,
        Map<String, Object> extensions) {
}
