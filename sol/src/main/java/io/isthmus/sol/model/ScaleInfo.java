package io.isthmus.sol.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.3.3 ScaleInfo: the scale level of one aspect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleInfo(@MaxLength(64) String aspectId, @MaxLength(255) String vnfdId, Integer scaleLevel) {
}
