package io.isthmus.vim.service;

import io.isthmus.sol.problem.ConflictException;

/** 409: the tenant's quota refuses the allocation; the message names the quota. */
public class QuotaExceededException extends ConflictException {

    public QuotaExceededException(String reason) {
        super(reason);
    }
}
