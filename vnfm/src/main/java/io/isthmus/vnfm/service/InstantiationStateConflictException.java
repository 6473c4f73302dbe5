package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ConflictException;

/** The operation needs the instance in the other instantiation state → 409. */
public class InstantiationStateConflictException extends ConflictException {

    public InstantiationStateConflictException(String vnfInstanceId, String state, String what) {
        super("VNF instance " + vnfInstanceId + " is " + state + ": " + what);
    }
}
