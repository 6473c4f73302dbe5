package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

public class NsInstanceNotFoundException extends ResourceNotFoundException {
    public NsInstanceNotFoundException(String id) {
        super("NS instance", id);
    }
}
