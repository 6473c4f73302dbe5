package io.isthmus.outbox.callback;

import io.isthmus.sol.problem.UnprocessableContentException;

/**
 * The callback failed the test of SOL003 clause 5.4.18.3.1 / SOL005 clause 6.4.18.3.2 → 422. The detail is the same
 * whatever happened (no answer, another status, a body): the subscriber learns nothing else about the destination.
 */
public class CallbackRefusedException extends UnprocessableContentException {

    public CallbackRefusedException() {
        super("The callback URI was refused: it was not reachable, or did not answer the test GET with 204");
    }
}
