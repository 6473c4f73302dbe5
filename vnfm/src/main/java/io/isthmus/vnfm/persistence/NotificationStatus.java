package io.isthmus.vnfm.persistence;

/** Delivery state of one outbox row. */
public enum NotificationStatus {
    PENDING, DELIVERED,
    /** Every attempt failed: kept as the dead-letter record. */
    DEAD
}
