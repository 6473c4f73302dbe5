package io.isthmus.vim.service;

import io.isthmus.sol.problem.UnprocessableContentException;

/** 422: the driver has no runtime (jar or image) for this VNF type. */
public class UnsupportedVnfTypeException extends UnprocessableContentException {

    public UnsupportedVnfTypeException(String vnfType, String driver) {
        super("VNF type " + vnfType + " cannot run on driver " + driver);
    }
}
