package io.isthmus.vnfm.integration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.vnfm.persistence.NotificationOutboxEntity;
import io.isthmus.vnfm.persistence.NotificationOutboxRepository;
import io.isthmus.vnfm.persistence.NotificationStatus;

/** The outbox as the delivery side sees it: what is pending, and the fate of each notification. */
@ApplicationScoped
public class NotificationDelivery {

    /** A notification to send. */
    public record Pending(String id, String callbackUri, String payload) {
    }

    private final NotificationOutboxRepository outbox;
    private final Clock clock;

    public NotificationDelivery(NotificationOutboxRepository outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public List<Pending> pending(int limit) {
        return outbox.pending(limit).stream().map(n -> new Pending(n.id(), n.callbackUri(), n.payload())).toList();
    }

    @Transactional
    public void delivered(String id, int attempts) {
        NotificationOutboxEntity n = outbox.findById(id);
        if (n != null && n.status() == NotificationStatus.PENDING) {
            n.delivered(attempts, clock.instant());
        }
    }

    /** Forgets what was delivered longer ago than {@code retention}; returns how many rows. */
    @Transactional
    public long purgeDelivered(Duration retention) {
        return outbox.purgeDelivered(clock.instant().minus(retention));
    }

    /** Every attempt failed: the row stays as the dead-letter record, with the last error. */
    @Transactional
    public void dead(String id, int attempts, String error) {
        NotificationOutboxEntity n = outbox.findById(id);
        if (n != null && n.status() == NotificationStatus.PENDING) {
            n.dead(attempts, error, clock.instant());
        }
    }
}
