package io.isthmus.vim.service;

import java.util.Set;

import io.isthmus.sol.problem.UnprocessableContentException;

/** 422: the driver's VNF runtime does not run this VNF type. */
public class UnsupportedVnfTypeException extends UnprocessableContentException {

    public UnsupportedVnfTypeException(String vnfType, String driver, Set<String> known) {
        super("VNF type " + vnfType + " cannot run on driver " + driver
                + (known.isEmpty() ? "" : "; its VNF runtime runs " + known.stream().sorted().toList()));
    }
}
