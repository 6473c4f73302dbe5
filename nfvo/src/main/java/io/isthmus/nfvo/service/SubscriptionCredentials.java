package io.isthmus.nfvo.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.outbox.callback.CallbackCredentials;
import io.isthmus.sol.model.SubscriptionAuthentication;

/** The outbox asks here how each notification authenticates to its subscriber. */
@ApplicationScoped
public class SubscriptionCredentials implements CallbackCredentials {

    private final SubscriptionRepository subscriptions;
    private final Json json;

    public SubscriptionCredentials(SubscriptionRepository subscriptions, Json json) {
        this.subscriptions = subscriptions;
        this.json = json;
    }

    @Override
    @Transactional
    public Optional<SubscriptionAuthentication> of(String subscriptionId) {
        return subscriptions.findByIdOptional(subscriptionId)
                .map(s -> json.read(s.authentication, SubscriptionAuthentication.class));
    }
}
