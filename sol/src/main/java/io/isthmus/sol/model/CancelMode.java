package io.isthmus.sol.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL003 v3.3.1 clause 5.5.2.14 / SOL005 clause 6.5.2.16 CancelMode: GRACEFUL or FORCEFUL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelMode(@MaxLength(16) String cancelMode) {
}
