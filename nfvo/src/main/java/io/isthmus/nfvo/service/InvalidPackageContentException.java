package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.UnprocessableContentException;

public class InvalidPackageContentException extends UnprocessableContentException {
    public InvalidPackageContentException(String detail) {
        super(detail);
    }
}
