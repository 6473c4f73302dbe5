package io.isthmus.vnfm.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.outbox.callback.CallbackCredentials;
import io.isthmus.sol.model.SubscriptionAuthentication;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;

/** The outbox asks here how each notification authenticates to its subscriber. */
@ApplicationScoped
public class SubscriptionCredentials implements CallbackCredentials {

    private final LccnSubscriptionRepository subscriptions;

    public SubscriptionCredentials(LccnSubscriptionRepository subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    @Transactional
    public Optional<SubscriptionAuthentication> of(String subscriptionId) {
        return subscriptions.findByIdOptional(subscriptionId).map(LccnSubscriptionEntity::authentication);
    }
}
