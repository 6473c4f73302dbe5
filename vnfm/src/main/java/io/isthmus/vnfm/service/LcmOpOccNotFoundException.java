package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** No VNF LCM operation occurrence of that id that the caller may see → 404. */
public class LcmOpOccNotFoundException extends ResourceNotFoundException {

    public LcmOpOccNotFoundException(String id) {
        super("VNF LCM operation occurrence", id);
    }
}
