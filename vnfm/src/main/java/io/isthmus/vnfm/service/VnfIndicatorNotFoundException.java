package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** The VNF instance the caller may see has no indicator of that id (now) → 404. */
public class VnfIndicatorNotFoundException extends ResourceNotFoundException {

    public VnfIndicatorNotFoundException(String vnfInstanceId, String indicatorId) {
        super("VNF indicator", indicatorId + " of VNF instance " + vnfInstanceId);
    }
}
