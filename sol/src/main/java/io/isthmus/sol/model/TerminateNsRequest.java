package io.isthmus.sol.model;

/** SOL005 clause 6.5.2.14 TerminateNsRequest. */
public record TerminateNsRequest(String terminationTime) {
}
