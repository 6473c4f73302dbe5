package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A notification to deliver, written in the transaction that changed the state it reports; PENDING until delivered,
 * DEAD (the dead-letter record) once every attempt failed.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";

    @Id
    public String id;
    @Column(name = "subscription_id")
    public String subscriptionId;
    @Column(name = "callback_uri")
    public String callbackUri;
    public String payload;
    public String state;
    public int attempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
