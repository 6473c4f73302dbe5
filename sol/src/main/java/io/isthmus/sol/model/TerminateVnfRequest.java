package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL003 clause 5.5.2.8 TerminateVnfRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TerminateVnfRequest(@MaxLength(16) String terminationType, Integer gracefulTerminationTimeout) {
}
