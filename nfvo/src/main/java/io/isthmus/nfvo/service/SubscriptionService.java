package io.isthmus.nfvo.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.persistence.SubscriptionEntity;
import io.isthmus.nfvo.persistence.SubscriptionRepository;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;

/** NS LCM subscriptions (SOL005 clause 6.4.16): a tenant's callbacks, tested with a GET before they are accepted. */
@ApplicationScoped
public class SubscriptionService {

    /** A subscription that already existed, to be answered 303 See Other. */
    public record Outcome(SubscriptionEntity subscription, boolean existed) {
    }

    private final SubscriptionRepository subscriptions;
    private final HttpClient http;
    private final Json json;
    private final Clock clock;

    public SubscriptionService(SubscriptionRepository subscriptions, HttpClient http, Json json, Clock clock) {
        this.subscriptions = subscriptions;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public Outcome subscribe(String tenant, LccnSubscriptionRequest request) {
        if (request == null || request.callbackUri() == null || request.callbackUri().isBlank()) {
            throw new InvalidRequestException("callbackUri is required");
        }
        URI uri;
        try {
            uri = URI.create(request.callbackUri());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("callbackUri is not a URI: " + request.callbackUri());
        }
        if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new InvalidRequestException("callbackUri must be an absolute http(s) URI");
        }
        String filter = json.write(request.filter());
        Optional<SubscriptionEntity> same = subscriptions.byCallback(tenant, request.callbackUri())
                .filter(s -> Objects.equals(s.filter, filter));
        if (same.isPresent()) {
            return new Outcome(same.get(), true);
        }
        testCallback(uri);
        SubscriptionEntity s = new SubscriptionEntity();
        s.id = UUID.randomUUID().toString();
        s.tenant = tenant;
        s.callbackUri = request.callbackUri();
        s.filter = filter;
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

    @Transactional
    public void delete(String id, Optional<String> tenantScope) {
        subscriptions.delete(get(id, tenantScope));
    }

    /** SOL005 clause 6.4.18.3.2: the endpoint must answer a GET with 204 before notifications are sent to it. */
    private void testCallback(URI uri) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Version", "2.0.0").GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 204) {
                throw new UnprocessableContentException(
                        "The callback " + uri + " answered GET with " + r.statusCode() + " instead of 204");
            }
        } catch (java.io.IOException e) {
            throw new UnprocessableContentException("The callback " + uri + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnprocessableContentException("Interrupted while testing the callback");
        }
    }
}
