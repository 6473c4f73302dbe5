package io.isthmus.outbox.callback;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.outbox.OutboxConfig;
import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.SubscriptionAuthentication;
import io.isthmus.sol.problem.InvalidRequestException;

/**
 * What the vnfm's and the nfvo's subscriptions ask of a new subscriber's callback: a valid URI without credentials,
 * a valid SOL013 authentication, destinations the callback policy allows, and the test of SOL003 clause 5.4.18.3.1 /
 * SOL005 clause 6.4.18.3.2 (a GET, with the subscription's authentication, answered 204).
 */
@ApplicationScoped
public class SubscriberCallbacks {

    private final CallbackPolicy policy;
    private final CallbackAuthorization authorization;
    private final CallbackSecrets secrets;
    private final OutboxConfig config;
    private final CallbackHttp http;

    public SubscriberCallbacks(CallbackPolicy policy, CallbackAuthorization authorization, CallbackSecrets secrets,
            OutboxConfig config, CallbackHttp http) {
        this.policy = policy;
        this.authorization = authorization;
        this.secrets = secrets;
        this.config = config;
        this.http = http;
    }

    /**
     * The callback URI of a request whose callback and authentication are valid (else 400) and whose destinations the
     * policy allows (else 422).
     */
    public URI admit(LccnSubscriptionRequest request) {
        if (request == null) {
            throw new InvalidRequestException("callbackUri is required");
        }
        URI callback = policy.validUri(request.callbackUri(), "callbackUri");
        authorization.validate(request.authentication());
        policy.check(callback, "callback URI");
        return callback;
    }

    /**
     * The GET of the test, where the policy allows; whatever goes wrong is one and the same
     * {@link CallbackRefusedException}, so the test tells a subscriber nothing about another server.
     */
    public void test(URI callback, SubscriptionAuthentication authentication) {
        policy.check(callback, "callback URI");
        HttpRequest.Builder get = HttpRequest.newBuilder(callback).GET().timeout(config.responseTimeout())
                .header(SolApiVersions.HEADER, config.apiVersion());
        authorization.header(authentication).ifPresent(h -> get.header("Authorization", h));
        if (http.send(get.build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 204) {
            throw new CallbackRefusedException();
        }
    }

    /** The authentication as the subscription is to store it: its passwords sealed ({@link CallbackSecrets}). */
    public SubscriptionAuthentication sealed(SubscriptionAuthentication authentication) {
        return secrets.sealed(authentication);
    }
}
