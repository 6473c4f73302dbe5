package io.isthmus.vnfm.service;

import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.outbox.Outbox;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LccnSubscriptionRepository;

/** LCM subscriptions: one per callback URI and subscriber; a tenant's hears only of its own instances. */
@ApplicationScoped
public class SubscriptionService {

    private final LccnSubscriptionRepository subscriptions;
    private final Outbox outbox;
    private final HttpClient http;
    private final VnfmConfig config;
    private final Caller caller;
    private final Clock clock;

    public SubscriptionService(LccnSubscriptionRepository subscriptions, Outbox outbox,
            HttpClient http, VnfmConfig config, Caller caller, Clock clock) {
        this.subscriptions = subscriptions;
        this.outbox = outbox;
        this.http = http;
        this.config = config;
        this.caller = caller;
        this.clock = clock;
    }

    /** The subscription, and whether this call created it (false: the callback URI was subscribed already). */
    public record Subscribed(LccnSubscriptionEntity subscription, boolean created) {
    }

    @Transactional
    public Subscribed subscribe(LccnSubscriptionRequest request) {
        String callbackUri = validCallback(request);
        if (request.filter() != null && request.filter().notificationTypes() != null
                && request.filter().notificationTypes().stream()
                        .anyMatch(t -> !VnfLcmOperationOccurrenceNotification.TYPE.equals(t))) {
            throw new InvalidRequestException(
                    "this vnfm sends only " + VnfLcmOperationOccurrenceNotification.TYPE + " notifications");
        }
        Optional<String> scope = caller.tenantScope();
        Optional<LccnSubscriptionEntity> existing = subscriptions.findByCallback(callbackUri, scope);
        if (existing.isPresent()) {
            return new Subscribed(existing.get(), false);
        }
        if (config.notifications().verifyCallback()) {
            verify(callbackUri);
        }
        LccnSubscriptionEntity subscription = new LccnSubscriptionEntity(UUID.randomUUID().toString(), callbackUri,
                request.filter(), scope.orElse(null), clock.instant());
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

    private static String validCallback(LccnSubscriptionRequest request) {
        if (request == null || request.callbackUri() == null || request.callbackUri().isBlank()) {
            throw new InvalidRequestException("callbackUri is required");
        }
        try {
            URI uri = URI.create(request.callbackUri());
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new InvalidRequestException("callbackUri must be an absolute http(s) URI");
            }
            return request.callbackUri();
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("callbackUri is not a URI: " + e.getMessage());
        }
    }

    /** SOL003 clause 5.4.18.3.1: a GET on the callback URI answers 204 before the subscription exists. */
    private void verify(String callbackUri) {
        HttpRequest get = HttpRequest.newBuilder(URI.create(callbackUri)).GET().header("Version", "2.0.0")
                .timeout(config.http().configTimeout()).build();
        try {
            int status = http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 204) {
                throw new CallbackUnreachableException(callbackUri, "it answered " + status);
            }
        } catch (IOException e) {
            throw new CallbackUnreachableException(callbackUri, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallbackUnreachableException(callbackUri, "interrupted");
        }
    }
}
