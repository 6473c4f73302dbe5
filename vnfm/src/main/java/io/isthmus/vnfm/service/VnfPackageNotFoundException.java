package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.UnprocessableContentException;

/** The VNFD named in the request is in no onboarded VNF package → 422. */
public class VnfPackageNotFoundException extends UnprocessableContentException {

    public VnfPackageNotFoundException(String vnfdId) {
        super("No onboarded VNF package has vnfdId " + vnfdId);
    }
}
