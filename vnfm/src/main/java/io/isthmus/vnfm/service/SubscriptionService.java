package io.isthmus.vnfm.service;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.outbox.Outbox;
import io.isthmus.outbox.callback.SubscriberCallbacks;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.VnfIdentifierNotification;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;

/** LCM subscriptions: one per callback URI and subscriber; a tenant's hears only of its own instances. */
@ApplicationScoped
public class SubscriptionService {

    /** The notifications this vnfm sends (SOL003 clause 5.5.2.17–19). */
    static final List<String> NOTIFICATION_TYPES = List.of(VnfLcmOperationOccurrenceNotification.TYPE,
            VnfIdentifierNotification.CREATION, VnfIdentifierNotification.DELETION);

    private final LccnSubscriptionRepository subscriptions;
    private final Outbox outbox;
    private final SubscriberCallbacks callbacks;
    private final VnfmConfig config;
    private final Caller caller;
    private final Clock clock;

    public SubscriptionService(LccnSubscriptionRepository subscriptions, Outbox outbox, SubscriberCallbacks callbacks,
            VnfmConfig config, Caller caller, Clock clock) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.callbacks = callbacks;
        this.config = config;
        this.caller = caller;
        this.clock = clock;
    }

    /** The subscription, and whether this call created it (false: the callback URI was subscribed already). */
    public record Subscribed(LccnSubscriptionEntity subscription, boolean created) {
    }

    /**
     * 400 for a request without a valid callback URI (credentials in it included) or with an invalid authentication;
     * 422 for a destination the callback policy refuses or a callback that fails the test.
     */
    @Transactional
    public Subscribed subscribe(LccnSubscriptionRequest request) {
        URI callback = callbacks.admit(request);
        String callbackUri = request.callbackUri();
        if (request.filter() != null && request.filter().notificationTypes() != null && request.filter()
                .notificationTypes().stream().anyMatch(t -> t == null || !NOTIFICATION_TYPES.contains(t))) {
            throw new InvalidRequestException("filter.notificationTypes: this vnfm sends " + NOTIFICATION_TYPES);
        }
        Optional<String> scope = caller.tenantScope();
        Optional<LccnSubscriptionEntity> existing = subscriptions.findByCallback(callbackUri, scope);
        if (existing.isPresent()) {
            return new Subscribed(existing.get(), false);
        }
        if (config.notifications().verifyCallback()) {
            callbacks.test(callback, request.authentication());
        }
        LccnSubscriptionEntity subscription = new LccnSubscriptionEntity(UUID.randomUUID().toString(), callbackUri,
                request.filter(), scope.orElse(null), callbacks.sealed(request.authentication()), clock.instant());
        subscriptions.persist(subscription);
        return new Subscribed(subscription, true);
    }

    @Transactional
    public SolPage<LccnSubscriptionEntity> list(SolQuery query) {
        return subscriptions.pageScoped(query, caller.tenantScope());
    }

    @Transactional
    public LccnSubscriptionEntity get(String id) {
        return subscriptions.findScoped(id, caller.tenantScope())
                .orElseThrow(() -> new SubscriptionNotFoundException(id));
    }

    @Transactional
    public void delete(String id) {
        LccnSubscriptionEntity subscription = get(id);
        outbox.dropPendingOf(subscription.id());
        subscriptions.delete(subscription);
    }

}
