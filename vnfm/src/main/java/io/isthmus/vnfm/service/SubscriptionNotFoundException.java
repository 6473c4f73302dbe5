package io.isthmus.vnfm.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

/** No LCM subscription of that id that the caller may see → 404. */
public class SubscriptionNotFoundException extends ResourceNotFoundException {

    public SubscriptionNotFoundException(String id) {
        super("Subscription", id);
    }
}
