package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** No VNF instance of that id that the caller may see → 404. */
public class VnfInstanceNotFoundException extends ResourceNotFoundException {

    public VnfInstanceNotFoundException(String id) {
        super("VNF instance", id);
    }
}
