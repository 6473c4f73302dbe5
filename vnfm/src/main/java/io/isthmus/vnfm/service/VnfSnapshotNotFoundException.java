package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** No VNF snapshot of that id that the caller may see → 404. */
public class VnfSnapshotNotFoundException extends ResourceNotFoundException {

    public VnfSnapshotNotFoundException(String id) {
        super("VNF snapshot", id);
    }
}
