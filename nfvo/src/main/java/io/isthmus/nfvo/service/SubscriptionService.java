package io.isthmus.nfvo.service;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.nfvo.persistence.SubscriptionEntity;
import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.outbox.Outbox;
import io.isthmus.outbox.callback.SubscriberCallbacks;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;

/**
 * NS LCM subscriptions (SOL005 clause 6.4.16): a tenant's callbacks, held to the operator's callback policy and tested
 * with a GET before they are accepted.
 */
@ApplicationScoped
public class SubscriptionService {

    /** A subscription that already existed, to be answered 303 See Other. */
    public record Outcome(SubscriptionEntity subscription, boolean existed) {
    }

    private final SubscriptionRepository subscriptions;
    private final SubscriberCallbacks callbacks;
    private final Outbox outbox;
    private final Json json;
    private final Clock clock;

    public SubscriptionService(SubscriptionRepository subscriptions, SubscriberCallbacks callbacks, Outbox outbox,
            Json json, Clock clock) {
        this.subscriptions = subscriptions;
        this.callbacks = callbacks;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /**
     * 400 for a request without a valid callback URI (credentials in it included) or with an invalid authentication;
     * 422 for a destination the callback policy refuses or a callback that fails the test.
     */
    @Transactional
    public Outcome subscribe(String tenant, LccnSubscriptionRequest request) {
        URI uri = callbacks.admit(request);
        String filter = json.write(request.filter());
        Optional<SubscriptionEntity> same = subscriptions.byCallback(tenant, request.callbackUri())
                .filter(s -> Objects.equals(s.filter, filter));
        if (same.isPresent()) {
            return new Outcome(same.get(), true);
        }
        callbacks.test(uri, request.authentication());
        SubscriptionEntity s = new SubscriptionEntity();
        s.id = UUID.randomUUID().toString();
        s.tenant = tenant;
        s.callbackUri = request.callbackUri();
        s.filter = filter;
        s.authentication = json.write(callbacks.sealed(request.authentication()));
        s.createdAt = clock.instant();
        subscriptions.persist(s);
        return new Outcome(s, false);
    }

    public SubscriptionEntity get(String id, Optional<String> tenantScope) {
        return subscriptions.findScoped(id, tenantScope).orElseThrow(() -> new SubscriptionNotFoundException(id));
    }

    public SolPage<SubscriptionEntity> list(SolQuery query, Optional<String> tenantScope) {
        return subscriptions.pageScoped(query, tenantScope);
    }

    /** Its notifications not sent yet go with it (they would leave without its credentials). */
    @Transactional
    public void delete(String id, Optional<String> tenantScope) {
        SubscriptionEntity subscription = get(id, tenantScope);
        outbox.dropPendingOf(subscription.id);
        subscriptions.delete(subscription);
    }
}
