package io.isthmus.sol.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.5 ScaleVnfRequest: {@code type} SCALE_OUT or SCALE_IN, by {@code numberOfSteps} (1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleVnfRequest(@MaxLength(16) String type, @MaxLength(64) String aspectId, Integer numberOfSteps,
        Map<String, Object> additionalParams) {
}
