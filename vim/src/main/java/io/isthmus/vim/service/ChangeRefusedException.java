package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;

/** 409: the change does not fit the allocation's state now (a fastpath to start while its slowpath is stopped). */
public class ChangeRefusedException extends ConflictException {

    public ChangeRefusedException(String id, String problem) {
        super("Allocation " + id + ": " + problem);
    }
}
