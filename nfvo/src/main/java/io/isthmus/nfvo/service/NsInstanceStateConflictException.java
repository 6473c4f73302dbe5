package io.isthmus.nfvo.service;

import io.isthmus.nfvo.persistence.NsState;
import io.isthmus.sol.problem.ConflictException;

/** The task needs the NS instance in the other NS state → 409. */
public class NsInstanceStateConflictException extends ConflictException {

    public NsInstanceStateConflictException(String nsInstanceId, NsState state, String task) {
        super("Cannot " + task + " NS instance " + nsInstanceId + ": it is " + state);
    }
}
