package io.isthmus.nfvo.service;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ConflictException;

/** A task on an NS operation occurrence that its state does not allow → 409. */
public class NsOperationStateConflictException extends ConflictException {

    public NsOperationStateConflictException(String opId, LcmOperationState state, String task) {
        super("Operation " + opId + " is " + state + ", not FAILED_TEMP: cannot " + task + " it");
    }
}
