package io.isthmus.sol.lifecycle;

import io.isthmus.sol.problem.ConflictException;

/** A lifecycle change the state machine does not allow; 409 to an API client. */
public class IllegalTransitionException extends ConflictException {

    public IllegalTransitionException(Object from, Object to) {
        super("Operation cannot move from " + from + " to " + to);
    }
}
