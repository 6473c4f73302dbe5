package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;

/** 409: the driver's pool has not enough capacity left; the message names the pool. */
public class CapacityExhaustedException extends ConflictException {

    public CapacityExhaustedException(String reason) {
        super(reason);
    }
}
