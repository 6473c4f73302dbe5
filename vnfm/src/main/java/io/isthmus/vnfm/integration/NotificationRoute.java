package io.isthmus.vnfm.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import io.isthmus.sol.api.SolApiVersions;
import io.isthmus.vnfm.config.VnfmConfig;

/**
 * Delivers one LCM notification to its subscriber's callback URI: POST, JSON, {@code Version: 2.0.0}; redelivered with
 * exponential backoff, then given up as DEAD. Callbacks carry no credentials in this version of the platform.
 */
@ApplicationScoped
public class NotificationRoute extends RouteBuilder {

    /** Where the outbox pump hands a notification (body: the JSON; properties: id and callback URI). */
    public static final String ENDPOINT = "direct:vnfm-lcm-notification";
    public static final String NOTIFICATION_ID = "isthmusNotificationId";
    public static final String CALLBACK_URI = "isthmusCallbackUri";
    /** Attempts made so far (the HTTP producer replaces the headers Camel counts redeliveries in). */
    static final String ATTEMPTS = "isthmusAttempts";
    static final String DEAD_LETTER = "direct:vnfm-lcm-notification-dead";
    static final String API_VERSION = "2.0.0";

    private final VnfmConfig config;
    private final NotificationDelivery delivery;

    public NotificationRoute(VnfmConfig config, NotificationDelivery delivery) {
        this.config = config;
        this.delivery = delivery;
    }

    @Override
    public void configure() {
        VnfmConfig.Notifications n = config.notifications();
        errorHandler(deadLetterChannel(DEAD_LETTER)
                .maximumRedeliveries(n.maxRedeliveries())
                .redeliveryDelay(n.redeliveryDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(n.maxRedeliveryDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .onRedelivery(e -> e.setProperty(ATTEMPTS, attempts(e) + 1)));

        from(ENDPOINT).routeId("vnfm-lcm-notification")
                // a notification is sent once per vnfm: a second hand-over of the same id (its row could not be
                // marked after the first) is not sent again, only marked
                .idempotentConsumer(exchangeProperty(NOTIFICATION_ID),
                        MemoryIdempotentRepository.memoryIdempotentRepository(10_000))
                .skipDuplicate(false)
                .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true))
                .log(LoggingLevel.DEBUG, "notification ${exchangeProperty." + NOTIFICATION_ID + "} handed over twice")
                .process(e -> delivery.delivered(e.getProperty(NOTIFICATION_ID, String.class), 1))
                .stop()
                .end()
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader(SolApiVersions.HEADER, constant(API_VERSION))
                .toD("${exchangeProperty." + CALLBACK_URI + "}")
                .process(e -> delivery.delivered(e.getProperty(NOTIFICATION_ID, String.class), attempts(e)));

        from(DEAD_LETTER).routeId("vnfm-lcm-notification-dead")
                .log(LoggingLevel.WARN,
                        "notification ${exchangeProperty." + NOTIFICATION_ID + "} to ${exchangeProperty."
                                + CALLBACK_URI + "} is DEAD: ${exception.message}")
                .process(e -> {
                    Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    delivery.dead(e.getProperty(NOTIFICATION_ID, String.class), attempts(e),
                            cause == null ? "unknown" : cause.toString());
                });
    }

    private static int attempts(Exchange e) {
        return e.getProperty(ATTEMPTS, 1, Integer.class);
    }
}
