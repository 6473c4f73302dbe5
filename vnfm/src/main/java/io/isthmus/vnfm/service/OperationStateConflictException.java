package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ConflictException;

/** A task on an operation occurrence (retry, fail) that its state does not allow → 409. */
public class OperationStateConflictException extends ConflictException {

    public OperationStateConflictException(String opId, String state, String task) {
        super("Operation " + opId + " is " + state + "; " + task + " needs FAILED_TEMP");
    }
}
