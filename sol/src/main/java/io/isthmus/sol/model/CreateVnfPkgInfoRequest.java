package io.isthmus.sol.model;

import java.util.Map;

/** SOL005 clause 9.5.2.2 CreateVnfPkgInfoRequest. */
public record CreateVnfPkgInfoRequest(Map<String, Object> userDefinedData) {
}
