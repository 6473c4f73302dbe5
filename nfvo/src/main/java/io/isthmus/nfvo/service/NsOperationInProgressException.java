package io.isthmus.nfvo.service;

import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.problem.ConflictException;

/** Another operation on the NS instance is not closed yet (one operation at a time) → 409. */
public class NsOperationInProgressException extends ConflictException {

    public NsOperationInProgressException(String nsInstanceId, String opId, NsLcmOperationState state) {
        super("NS instance " + nsInstanceId + " has operation " + opId + " in state " + state
                + "; it must be closed (COMPLETED, FAILED or ROLLED_BACK) first");
    }
}
