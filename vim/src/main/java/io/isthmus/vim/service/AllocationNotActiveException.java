package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;
import io.isthmus.vim.persistence.AllocationState;

/** 409: only an ACTIVE allocation changes. */
public class AllocationNotActiveException extends ConflictException {

    public AllocationNotActiveException(String id, AllocationState state) {
        super("Allocation " + id + " is " + state + "; only an ACTIVE allocation changes");
    }
}
