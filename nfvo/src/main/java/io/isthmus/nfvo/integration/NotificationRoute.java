package io.isthmus.nfvo.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers one notification to one subscriber: POST of the JSON body to the callback URI, with SOL013's Version
 * header. Camel redelivers a few times with back-off; what still fails goes back to the outbox pump, which tries again
 * later and finally dead-letters it.
 */
@ApplicationScoped
public class NotificationRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:deliver-ns-notification";
    public static final String CALLBACK_URI = "isthmusCallbackUri";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("ns-notification-delivery")
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(2)
                        .redeliveryDelay(200)
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .logExhausted(false))
                .removeHeaders("*", CALLBACK_URI)
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Version", constant("2.0.0"))
                .toD("${header." + CALLBACK_URI + "}?throwExceptionOnFailure=true&connectTimeout=3000"
                        + "&responseTimeout=5000")
                .removeHeader(CALLBACK_URI);
    }
}
