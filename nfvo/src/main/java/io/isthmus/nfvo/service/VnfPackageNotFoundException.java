package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

public class VnfPackageNotFoundException extends ResourceNotFoundException {
    public VnfPackageNotFoundException(String id) {
        super("VNF package", id);
    }
}
