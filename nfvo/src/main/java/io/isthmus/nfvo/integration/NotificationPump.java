package io.isthmus.nfvo.integration;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.context.ManagedExecutor;
import io.isthmus.sol.concurrent.Trigger;
import io.isthmus.nfvo.service.NotificationsWritten;
import io.quarkus.narayana.jta.QuarkusTransaction;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.persistence.OutboxEntity;
import io.isthmus.nfvo.persistence.OutboxRepository;
import io.quarkus.scheduler.Scheduled;

/** Hands due outbox rows to the delivery route; records DELIVERED, a later attempt, or DEAD. */
@ApplicationScoped
public class NotificationPump {

    private static final Logger LOG = Logger.getLogger(NotificationPump.class);

    private final OutboxRepository outbox;
    private final ProducerTemplate camel;
    private final NfvoConfig config;
    private final Clock clock;
    private final ManagedExecutor executor;
    private final Trigger trigger = new Trigger();

    public NotificationPump(OutboxRepository outbox, ProducerTemplate camel, NfvoConfig config, Clock clock,
            ManagedExecutor executor) {
        this.executor = executor;
        this.outbox = outbox;
        this.camel = camel;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${isthmus.nfvo.notification-pump}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pump() {
        trigger.run(() -> QuarkusTransaction.requiringNew().run(this::deliverDue));
    }

    /** New notifications are sent as soon as the transaction that wrote them commits, not at the next tick. */
    void kick(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationsWritten written) {
        executor.execute(this::pump);
    }

    private void deliverDue() {
        for (OutboxEntity n : outbox.due(clock.instant(), 50)) {
            Exchange result = camel.request(NotificationRoute.ENDPOINT, ex -> {
                ex.getIn().setHeader(NotificationRoute.CALLBACK_URI, n.callbackUri);
                ex.getIn().setBody(n.payload);
            });
            n.attempts++;
            if (result.getException() == null) {
                n.state = OutboxEntity.DELIVERED;
                n.deliveredAt = clock.instant();
            } else {
                n.lastError = String.valueOf(result.getException().getMessage());
                if (n.attempts >= config.notificationAttempts()) {
                    n.state = OutboxEntity.DEAD;
                    LOG.warnf("Notification %s to %s dead-lettered after %d attempts: %s", n.id, n.callbackUri,
                            n.attempts, n.lastError);
                } else {
                    n.nextAttemptAt = clock.instant().plus(Duration.ofSeconds(1L << Math.min(n.attempts, 6)));
                }
            }
        }
    }
}
