package io.isthmus.vim.service;

import java.util.List;

import io.isthmus.sol.problem.UnprocessableContentException;

/** 422: the request is well formed but cannot run as asked (no slowpath, names the driver cannot use, ...). */
public class UnplaceableAllocationException extends UnprocessableContentException {

    public UnplaceableAllocationException(String id, List<String> problems) {
        super("Allocation " + id + " cannot run as asked: " + String.join("; ", problems));
    }
}
