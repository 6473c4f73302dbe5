package io.isthmus.outbox.callback;

import io.isthmus.sol.problem.UnprocessableContentException;

/** The destination is one the operator's callback policy refuses → 422; it says nothing of what is there. */
public class CallbackNotAllowedException extends UnprocessableContentException {

    public CallbackNotAllowedException(String what) {
        super("The " + what + " points at a destination that the operator's callback policy does not allow");
    }
}
