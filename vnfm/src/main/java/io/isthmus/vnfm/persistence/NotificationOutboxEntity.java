package io.isthmus.vnfm.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One notification to one subscriber, written in the transaction of the state change it tells of; its id is the
 * notification's id, which a subscriber uses to drop duplicates.
 */
@Entity
@Table(name = "lcm_notification_outbox")
public class NotificationOutboxEntity {

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
    private NotificationStatus status;
    @Column(name = "attempts", nullable = false)
    private int attempts;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "last_error")
    private String lastError;

    protected NotificationOutboxEntity() {
    }

    public NotificationOutboxEntity(String id, String subscriptionId, String callbackUri, String payload,
            Instant createdAt) {
        this.id = id;
        this.subscriptionId = subscriptionId;
        this.callbackUri = callbackUri;
        this.payload = payload;
        this.createdAt = createdAt;
        this.status = NotificationStatus.PENDING;
    }

    public void delivered(int attemptsMade, Instant now) {
        status = NotificationStatus.DELIVERED;
        attempts = attemptsMade;
        finishedAt = now;
        lastError = null;
    }

    public void dead(int attemptsMade, String error, Instant now) {
        status = NotificationStatus.DEAD;
        attempts = attemptsMade;
        finishedAt = now;
        lastError = error;
    }

    public String id() {
        return id;
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

    public NotificationStatus status() {
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
