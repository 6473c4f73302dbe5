package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

public class NsdNotFoundException extends ResourceNotFoundException {
    public NsdNotFoundException(String id) {
        super("NSD", id);
    }
}
