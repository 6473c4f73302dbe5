package io.isthmus.vim.service;

import io.isthmus.sol.problem.SolException;

/** 503: the driver failed to make a change; the message says what it left behind. */
public class ChangeFailedException extends SolException {

    public ChangeFailedException(String id, String outcome) {
        super(503, "Service Unavailable", "Allocation " + id + ": " + outcome);
    }
}
