package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ConflictException;

/** Another operation on the instance is not closed yet (SOL003: one operation at a time) → 409. */
public class OperationInProgressException extends ConflictException {

    public OperationInProgressException(String vnfInstanceId, String opId, String state) {
        super("VNF instance " + vnfInstanceId + " has operation " + opId + " in state " + state
                + "; it must be closed (COMPLETED, FAILED or ROLLED_BACK) first");
    }
}
