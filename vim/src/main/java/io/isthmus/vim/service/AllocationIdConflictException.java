package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;

/** 409: the client reused an allocation id for a different request. */
public class AllocationIdConflictException extends ConflictException {

    public AllocationIdConflictException(String id, String difference) {
        super("Allocation " + id + " exists with a different " + difference + "; choose another id");
    }
}
