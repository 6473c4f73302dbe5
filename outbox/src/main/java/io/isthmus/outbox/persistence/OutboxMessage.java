package io.isthmus.outbox.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One notification to one subscriber, written in the transaction of the state change it tells of; PENDING until
 * delivered, DEAD (the dead-letter record, with the last error) once every attempt failed.
 */
@Entity
@Table(name = "notification_outbox")
public class OutboxMessage {

    @Id
    private String id;
    /** Order of writing, assigned by the database. */
    @Column(name = "seq", insertable = false, updatable = false)
    private Long seq;
    @Column(name = "subscription_id", nullable = false)
    private String subscriptionId;
    @Column(name = "callback_uri", nullable = false)
    private String callbackUri;
    @Column(name = "payload", nullable = false)
    private String payload;
    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private OutboxStatus status;
    @Column(name = "attempts", nullable = false)
    private int attempts;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "last_error")
    private String lastError;

    protected OutboxMessage() {
    }

    public OutboxMessage(String id, String subscriptionId, String callbackUri, String payload, Instant createdAt) {
        this.id = id;
        this.subscriptionId = subscriptionId;
        this.callbackUri = callbackUri;
        this.payload = payload;
        this.createdAt = createdAt;
        this.status = OutboxStatus.PENDING;
    }

    /** PENDING → DELIVERED; a row delivered or dead already stays as it is. */
    public void delivered(int attemptsMade, Instant now) {
        finish(OutboxStatus.DELIVERED, attemptsMade, null, now);
    }

    /** PENDING → DEAD with the last error; a row delivered or dead already stays as it is. */
    public void dead(int attemptsMade, String error, Instant now) {
        finish(OutboxStatus.DEAD, attemptsMade, error, now);
    }

    private void finish(OutboxStatus to, int attemptsMade, String error, Instant now) {
        if (status != OutboxStatus.PENDING) {
            return;
        }
        status = to;
        attempts = attemptsMade;
        lastError = error;
        finishedAt = now;
    }

    public String id() {
        return id;
    }

    public Long seq() {
        return seq;
    }

    public String subscriptionId() {
        return subscriptionId;
    }

    public String callbackUri() {
        return callbackUri;
    }

    public String payload() {
        return payload;
    }

    public OutboxStatus status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public String lastError() {
        return lastError;
    }
}
