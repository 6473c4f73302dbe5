package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

/** SOL005 clause 6.5.2.14 TerminateNsRequest. */
public record TerminateNsRequest(@MaxLength(64) String terminationTime) {
}
