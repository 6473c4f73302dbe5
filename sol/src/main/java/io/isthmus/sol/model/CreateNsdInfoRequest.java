package io.isthmus.sol.model;

import java.util.Map;

/** SOL005 clause 5.5.2.3 CreateNsdInfoRequest. */
public record CreateNsdInfoRequest(Map<String, Object> userDefinedData) {
}
