package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

public class NsLcmOpOccNotFoundException extends ResourceNotFoundException {
    public NsLcmOpOccNotFoundException(String id) {
        super("NS LCM operation occurrence", id);
    }
}
