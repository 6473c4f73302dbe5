package io.isthmus.nfvo.service;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.problem.ConflictException;

/** Another operation on the NS instance is not closed yet (one operation at a time) → 409. */
public class NsOperationInProgressException extends ConflictException {

    public NsOperationInProgressException(String nsInstanceId, String opId, LcmOperationState state) {
        super("NS instance " + nsInstanceId + " has operation " + opId + " in state " + state
                + "; it must be closed (COMPLETED, FAILED or ROLLED_BACK) first");
    }
}
