package io.isthmus.outbox.callback;

import java.util.Optional;

import io.isthmus.sol.model.SubscriptionAuthentication;

/** Each service's answer to "how does a notification authenticate to this subscription's callback?". */
public interface CallbackCredentials {

    /** The subscription's {@code authentication}, if it has one (none: it was deleted, or it takes none). */
    Optional<SubscriptionAuthentication> of(String subscriptionId);
}
