package io.isthmus.sol.model;

/** SOL005 clause 6.5.2.7 CreateNsRequest. */
public record CreateNsRequest(String nsdId, String nsName, String nsDescription) {
}
