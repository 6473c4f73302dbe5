package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.6 ScaleVnfToLevelRequest: an instantiation level, or a scale level per aspect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleVnfToLevelRequest(@MaxLength(64) String instantiationLevelId, List<ScaleInfo> scaleInfo,
        Map<String, Object> additionalParams) {
}
