package io.isthmus.outbox.integration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.outbox.persistence.OutboxMessage;
import io.isthmus.outbox.persistence.OutboxRepository;

/** The outbox as the delivery side sees it: what is pending, and the fate of each notification, each in its own transaction. */
@ApplicationScoped
public class OutboxLedger {

    /** A notification to send. */
    public record Pending(String id, String subscriptionId, String callbackUri, String payload) {
    }

    private final OutboxRepository messages;
    private final Clock clock;

    public OutboxLedger(OutboxRepository messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Pending> pending(int limit) {
        return messages.pending(limit).stream()
                .map(n -> new Pending(n.id(), n.subscriptionId(), n.callbackUri(), n.payload())).toList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void delivered(String id, int attempts) {
        OutboxMessage n = messages.findById(id);
        if (n != null) {
            n.delivered(attempts, clock.instant());
        }
    }

    /** Every attempt failed: the row stays as the dead-letter record, with the last error. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void dead(String id, int attempts, String error) {
        OutboxMessage n = messages.findById(id);
        if (n != null) {
            n.dead(attempts, error, clock.instant());
        }
    }

    /** Forgets what was delivered longer ago than {@code retention}; returns how many rows. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long purgeDelivered(Duration retention) {
        return messages.purgeDelivered(clock.instant().minus(retention));
    }
}
