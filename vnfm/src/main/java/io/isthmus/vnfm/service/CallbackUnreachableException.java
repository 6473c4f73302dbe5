package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.UnprocessableContentException;

/** The subscriber's callback URI failed the reachability test (SOL003 clause 5.4.18.3.1) → 422. */
public class CallbackUnreachableException extends UnprocessableContentException {

    public CallbackUnreachableException(String callbackUri, String why) {
        super("The callback URI " + callbackUri + " did not answer the test GET with 204: " + why);
    }
}
