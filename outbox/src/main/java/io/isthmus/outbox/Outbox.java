package io.isthmus.outbox;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.isthmus.outbox.persistence.OutboxMessage;
import io.isthmus.outbox.persistence.OutboxRepository;

/**
 * Queues notifications in the caller's transaction: the state change and its notifications commit together or not at
 * all, and delivery starts as soon as they have committed. Needs a {@link Clock} bean from the service.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository messages;
    private final Event<OutboxWritten> written;
    private final Clock clock;

    public Outbox(OutboxRepository messages, Event<OutboxWritten> written, Clock clock) {
        this.messages = messages;
        this.written = written;
        this.clock = clock;
    }

    /**
     * Queues one notification to one subscriber; {@code id} is the notification's own id, which the subscriber uses to
     * drop duplicates. Must run in a transaction.
     */
    public void enqueue(String id, String subscriptionId, String callbackUri, String payload) {
        messages.persist(new OutboxMessage(id, subscriptionId, callbackUri, payload, clock.instant()));
        written.fire(new OutboxWritten(id));
    }

    /** Drops what a subscription had not received yet: it is gone, so nothing more is sent to it. */
    public long dropPendingOf(String subscriptionId) {
        return messages.dropPendingOf(subscriptionId);
    }
}
