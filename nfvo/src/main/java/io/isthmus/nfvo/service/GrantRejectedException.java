package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ForbiddenOperationException;

/** SOL003 clause 9.4.2.3.1: a grant the NFVO refuses is answered 403 with the reason. */
public class GrantRejectedException extends ForbiddenOperationException {
    public GrantRejectedException(String reason) {
        super("Grant rejected: " + reason);
    }
}
