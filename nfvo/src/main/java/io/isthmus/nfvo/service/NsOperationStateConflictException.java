package io.isthmus.nfvo.service;

import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.problem.ConflictException;

/** A task on an NS operation occurrence that its state (or type) does not allow → 409. */
public class NsOperationStateConflictException extends ConflictException {

    /** {@code needed}: what the operation would have to be, as "FAILED_TEMP" or "an instantiation". */
    public NsOperationStateConflictException(String opId, NsLcmOperationState state, String task, String needed) {
        super("Operation " + opId + " is " + state + ", not " + needed + ": cannot " + task + " it");
    }
}
