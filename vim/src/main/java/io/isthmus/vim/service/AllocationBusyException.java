package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;

/** 409: another change of this allocation is under way; retry once it is done. */
public class AllocationBusyException extends ConflictException {

    public AllocationBusyException(String id) {
        super("Allocation " + id + " is busy with another change; retry once it is done");
    }
}
