package io.isthmus.nfvo.service;

import io.isthmus.sol.problem.ResourceNotFoundException;

public class SubscriptionNotFoundException extends ResourceNotFoundException {
    public SubscriptionNotFoundException(String id) {
        super("Subscription", id);
    }
}
