package io.isthmus.outbox.integration;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import io.isthmus.outbox.OutboxConfig;
import io.isthmus.outbox.callback.CallbackAuthorization;
import io.isthmus.outbox.callback.CallbackCredentials;
import io.isthmus.outbox.callback.CallbackNotAllowedException;
import io.isthmus.outbox.callback.CallbackPolicy;
import io.isthmus.outbox.callback.CallbackSecrets;
import io.isthmus.sol.api.SolApiVersions;

/**
 * One pass over the outbox, then each notification to its subscriber's callback URI: POST, JSON, SOL013
 * {@code Version}; redelivered with exponential backoff, then dead-lettered. Passes run one at a time and hand the
 * notifications over oldest first, one after the other, so that a subscriber hears of a change's states in their
 * order. Each request is first held to the callback policy (DNS may have changed since the subscription: a destination
 * now refused makes the notification DEAD at once) and carries the subscription's SOL013 authentication. The callback
 * URI goes in {@code CamelHttpUri}/{@code CamelHttpQuery} to one fixed endpoint, so that its query cannot set options
 * of the Camel endpoint (such as following redirects).
 */
@ApplicationScoped
public class OutboxRoute extends RouteBuilder {

    /** One pass: the pending notifications, oldest first, each to {@link #DELIVER}. */
    public static final String PASS = "direct:isthmus-outbox-pass";
    static final String DELIVER = "direct:isthmus-outbox-deliver";
    static final String DEAD_LETTER = "direct:isthmus-outbox-dead-letter";
    static final String MESSAGE_ID = "isthmusOutboxMessageId";
    static final String CALLBACK_URI = "isthmusOutboxCallbackUri";
    static final String SUBSCRIPTION_ID = "isthmusOutboxSubscriptionId";
    /** Attempts made so far (the HTTP producer replaces the headers Camel counts redeliveries in). */
    static final String ATTEMPTS = "isthmusOutboxAttempts";

    /** The one endpoint of every callback; the URI of each comes with the message. */
    static final String CALLBACK_ENDPOINT = "http://callback.invalid";

    private final OutboxConfig config;
    private final OutboxLedger ledger;
    private final CallbackPolicy policy;
    private final CallbackAuthorization authorization;
    private final CallbackCredentials credentials;
    private final CallbackSecrets secrets;

    public OutboxRoute(OutboxConfig config, OutboxLedger ledger, CallbackPolicy policy,
            CallbackAuthorization authorization, CallbackCredentials credentials, CallbackSecrets secrets) {
        this.config = config;
        this.ledger = ledger;
        this.policy = policy;
        this.authorization = authorization;
        this.credentials = credentials;
        this.secrets = secrets;
    }

    @Override
    public void configure() {
        for (String scheme : new String[]{"http", "https"}) {
            HttpComponent http = getContext().getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(config.connectTimeout().toMillis());
            http.setResponseTimeout(config.responseTimeout().toMillis());
        }

        from(PASS).routeId("isthmus-outbox-pass")
                .process(e -> e.getMessage().setBody(ledger.pending(config.batchSize())))
                .split(body())
                .to(DELIVER);

        from(DELIVER).routeId("isthmus-outbox-deliver")
                .errorHandler(deadLetterChannel(DEAD_LETTER)
                        .maximumRedeliveries(config.maxRedeliveries())
                        .redeliveryDelay(config.redeliveryDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(config.backoffMultiplier())
                        .maximumRedeliveryDelay(config.maxRedeliveryDelay().toMillis())
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .onRedelivery(e -> e.setProperty(ATTEMPTS, attempts(e) + 1)))
                .onException(CallbackNotAllowedException.class).maximumRedeliveries(0).handled(true)
                .log(LoggingLevel.WARN, "notification ${exchangeProperty." + MESSAGE_ID
                        + "} is DEAD: its callback's destination is not allowed by the callback policy")
                .process(e -> ledger.dead(e.getProperty(MESSAGE_ID, String.class), attempts(e),
                        "destination not allowed by the callback policy"))
                .end()
                .process(e -> {
                    OutboxLedger.Pending n = e.getMessage().getBody(OutboxLedger.Pending.class);
                    e.setProperty(MESSAGE_ID, n.id());
                    e.setProperty(SUBSCRIPTION_ID, n.subscriptionId());
                    e.setProperty(CALLBACK_URI, n.callbackUri());
                    e.getMessage().setBody(n.payload());
                })
                // a notification is sent once: a second hand-over of the same id (its row could not be marked after
                // the first) is not sent again, only marked
                .idempotentConsumer(exchangeProperty(MESSAGE_ID),
                        MemoryIdempotentRepository.memoryIdempotentRepository(config.idempotentCacheSize()))
                .skipDuplicate(false)
                .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true))
                .log(LoggingLevel.DEBUG, "notification ${exchangeProperty." + MESSAGE_ID + "} handed over twice")
                .process(e -> ledger.delivered(e.getProperty(MESSAGE_ID, String.class), attempts(e)))
                .stop()
                .end()
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader(SolApiVersions.HEADER, constant(config.apiVersion()))
                .process(this::address)
                .to(CALLBACK_ENDPOINT)
                .process(e -> ledger.delivered(e.getProperty(MESSAGE_ID, String.class), attempts(e)));

        from(DEAD_LETTER).routeId("isthmus-outbox-dead-letter")
                .log(LoggingLevel.WARN,
                        "notification ${exchangeProperty." + MESSAGE_ID + "} to ${exchangeProperty." + CALLBACK_URI
                                + "} is DEAD after ${exchangeProperty." + ATTEMPTS + "} attempts: ${exception.message}")
                .process(e -> {
                    Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    ledger.dead(e.getProperty(MESSAGE_ID, String.class), attempts(e),
                            cause == null ? "unknown" : cause.toString());
                });
    }

    /** Where the notification goes, if the policy allows it still, and with which credentials. */
    private void address(Exchange e) {
        URI callback = URI.create(e.getProperty(CALLBACK_URI, String.class));
        policy.check(callback, "callback URI");
        credentials.of(e.getProperty(SUBSCRIPTION_ID, String.class)).map(secrets::opened)
                .flatMap(authorization::header)
                .ifPresent(h -> e.getMessage().setHeader("Authorization", h));
        // host and port only: credentials in the URI (refused since subscriptions check for them) are never sent
        URI withoutQuery = URI.create(callback.getScheme() + "://" + callback.getHost()
                + (callback.getPort() > 0 ? ":" + callback.getPort() : "")
                + (callback.getRawPath() == null ? "" : callback.getRawPath()));
        e.getMessage().setHeader(Exchange.HTTP_URI, withoutQuery.toString());
        if (callback.getRawQuery() != null) {
            e.getMessage().setHeader(Exchange.HTTP_QUERY, callback.getRawQuery());
        }
    }

    private static int attempts(Exchange e) {
        return e.getProperty(ATTEMPTS, 1, Integer.class);
    }
}
