package io.isthmus.vnfm.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import io.isthmus.vnfm.config.VnfmConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * Hands the outbox's pending notifications, oldest first, to the delivery route, one at a time so that a subscriber
 * hears of an operation's states in their order. The route marks each DELIVERED or DEAD.
 */
@ApplicationScoped
public class NotificationPump {

    private static final Logger LOG = Logger.getLogger(NotificationPump.class);

    private final NotificationDelivery delivery;
    private final ProducerTemplate producer;
    private final VnfmConfig config;

    public NotificationPump(NotificationDelivery delivery, ProducerTemplate producer, VnfmConfig config) {
        this.delivery = delivery;
        this.producer = producer;
        this.config = config;
    }

    @Scheduled(identity = "vnfm-notification-pump", every = "${isthmus.vnfm.notifications.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pump() {
        for (NotificationDelivery.Pending n : delivery.pending(config.notifications().batchSize())) {
            try {
                producer.send(NotificationRoute.ENDPOINT, exchange -> {
                    exchange.setProperty(NotificationRoute.NOTIFICATION_ID, n.id());
                    exchange.setProperty(NotificationRoute.CALLBACK_URI, n.callbackUri());
                    exchange.getMessage().setBody(n.payload());
                });
            } catch (RuntimeException e) {
                // the row stays PENDING and is handed over again on the next tick
                LOG.errorf(e, "notification %s could not be handed to the route", n.id());
            }
        }
    }

    @Scheduled(identity = "vnfm-notification-purge", every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long purged = delivery.purgeDelivered(config.notifications().deliveredRetention());
        if (purged > 0) {
            LOG.infof("purged %d delivered notifications from the outbox", purged);
        }
    }
}
