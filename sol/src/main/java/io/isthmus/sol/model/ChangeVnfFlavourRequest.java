package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.7 ChangeVnfFlavourRequest (the attributes this platform uses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeVnfFlavourRequest(@MaxLength(64) String newFlavourId, @MaxLength(64) String instantiationLevelId,
        Map<String, Object> additionalParams, Map<String, Object> extensions,
        Map<String, Object> vnfConfigurableProperties) {
}
